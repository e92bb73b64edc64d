"""Convergence race on keras-io's addition data: the keras-io recipe against attn_lib's attention.

Both contestants learn "a+b" -> "sum" (operands of 1..3 digits, query reversed) from the same
50,000 distinct pairs and race to a validation EXACT-MATCH accuracy of 0.99 (the whole answer
right). attn_lib's contestant is trained by the public ``attn_lib.train`` with a ``TrainConfig``,
exactly as a reader would train it; the keras-io recipe runs its own ``model.fit`` as published.
Validation is evaluated after every epoch; evaluation time is measured but excluded from the
training seconds. Runs alternate between the contestants (ABBA order over seeds), so a
machine that slows down over time hurts both equally.

Usage:
    python benchmarks/convergence.py --seeds 3            # full race (tens of minutes)
    python benchmarks/convergence.py --seeds 1 --quick    # seconds: only checks that it runs

Writes benchmarks/results/convergence.json and convergence.md (``--output-dir`` to change).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import _common
import keras
import numpy as np
from keras import layers

from attn_lib.models import AttentionSeq2Seq
from attn_lib.tasks import Seq2SeqData, addition_task
from attn_lib.training import TrainConfig, forget_compiled_models, train

NAME = "convergence"
DIGITS = 3
MAXLEN = 2 * DIGITS + 1  # keras-io: "123+456" is at most 7 characters
ANSWER_LEN = DIGITS + 1  # keras-io: the sum has at most 4 characters
REFERENCE_CHARS = "0123456789+ "
STOP_LABELS = {"target": "목표", "max_epochs": "에폭 한도", "max_seconds": "시간 한도"}
GOAL_RATIO = 10.0  # issue: the race through attn_lib.train at least 10x the keras-io recipe
TEST_FRACTION = 0.001  # attn_lib always holds out a test split; keep it tiny (keras-io has none)


# ====================================================================== settings
@dataclass(frozen=True)
class Budget:
    """Data size and caps of one race."""

    n_samples: int
    max_epochs: int
    max_seconds: float
    target: float


FULL = Budget(n_samples=50_000, max_epochs=60, max_seconds=1200.0, target=0.99)
QUICK = Budget(n_samples=1_500, max_epochs=2, max_seconds=30.0, target=0.99)


@dataclass(frozen=True)
class OursConfig:
    """attn_lib's contestant: the model, and the recipe handed whole to ``attn_lib.train``."""

    score: str = "dot"
    units: int = 112
    embedding_dim: int = 16
    bidirectional: bool = False
    recipe: TrainConfig = field(
        default_factory=lambda: TrainConfig(
            batch_size=512,
            learning_rate=2.5e-2,
            schedule="cosine",
            warmup_epochs=0.3,
            decay_epochs=6.0,
            clipnorm=1.0,
            eval_examples=None,  # score the whole validation split, as the reference is scored
        )
    )


# ====================================================================== data
def make_data(budget: Budget, seed: int) -> Seq2SeqData:
    """keras-io's data: 90 % train / 10 % validation (plus attn_lib's compulsory tiny test)."""
    return addition_task(
        DIGITS,
        budget.n_samples,
        reverse=True,
        val_fraction=0.1,
        test_fraction=TEST_FRACTION,
        seed=seed,
    )


def one_hot_reference(queries: list[str], answers: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """keras-io's encoding: pad the query to MAXLEN with spaces, reverse it, one-hot both."""
    index = {char: i for i, char in enumerate(REFERENCE_CHARS)}
    x = np.zeros((len(queries), MAXLEN, len(REFERENCE_CHARS)), dtype="float32")
    y = np.zeros((len(answers), ANSWER_LEN, len(REFERENCE_CHARS)), dtype="float32")
    for row, (query, answer) in enumerate(zip(queries, answers, strict=True)):
        padded = (query + " " * (MAXLEN - len(query)))[::-1]
        for step, char in enumerate(padded):
            x[row, step, index[char]] = 1.0
        for step, char in enumerate(answer + " " * (ANSWER_LEN - len(answer))):
            y[row, step, index[char]] = 1.0
    return x, y


# ====================================================================== contestants
#: Called after every epoch with (epoch index, mean training loss); returns True to stop.
EpochHook = Callable[[int, float], bool]


@dataclass
class Contestant:
    """Everything the race needs to train and score one model."""

    name: str
    model: keras.Model
    train: Callable[[int, EpochHook], None]  # (max_epochs, hook) -> trains until the hook stops
    evaluate: Callable[[], float]
    description: str
    config: dict[str, Any]


def fit_trainer(
    model: keras.Model, inputs: Any, targets: np.ndarray, batch_size: int
) -> Callable[[int, EpochHook], None]:
    """Train with one ``model.fit`` call; the hook runs as an epoch-end callback."""

    def train(max_epochs: int, hook: EpochHook) -> None:
        def on_epoch_end(epoch: int, logs: dict | None = None) -> None:
            if hook(epoch, float((logs or {}).get("loss", float("nan")))):
                model.stop_training = True

        model.fit(
            inputs,
            targets,
            batch_size=batch_size,
            epochs=max_epochs,
            shuffle=True,
            callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=on_epoch_end)],
            verbose=0,
        )

    return train


def build_reference(data: Seq2SeqData) -> Contestant:
    """keras-io addition_rnn as published: one-hot, LSTM(128) -> RepeatVector -> LSTM(128)."""
    x_train, y_train = one_hot_reference(data.train.queries, data.train.targets)
    x_val, y_val = one_hot_reference(data.val.queries, data.val.targets)
    model = keras.Sequential(
        [
            layers.Input((MAXLEN, len(REFERENCE_CHARS))),
            layers.LSTM(128),
            layers.RepeatVector(ANSWER_LEN),
            layers.LSTM(128, return_sequences=True),
            layers.Dense(len(REFERENCE_CHARS), activation="softmax"),
        ],
        name="keras_io_reference",
    )
    # keras-io also passes metrics=["accuracy"] and validation_data; both only cost time that is
    # not training, so they are left out here (validation is scored by the race instead).
    model.compile(loss="categorical_crossentropy", optimizer="adam")
    target_ids = np.argmax(y_val, axis=-1)

    def evaluate() -> float:
        predicted = np.argmax(model.predict(x_val, batch_size=1000, verbose=0), axis=-1)
        return float(np.mean(np.all(predicted == target_ids, axis=1)))

    return Contestant(
        name="reference",
        model=model,
        train=fit_trainer(model, x_train, y_train, batch_size=32),
        evaluate=evaluate,
        description="keras-io addition_rnn: one-hot, LSTM(128)→RepeatVector(4)→LSTM(128)→Dense",
        config={"batch_size": 32, "optimizer": "adam (lr 1e-3)", "units": 128, "loop": "fit"},
    )


def run_ours(
    data: Seq2SeqData, config: OursConfig, seed: int, budget: Budget, result: RunResult
) -> tuple[RunResult, keras.Model]:
    """Train attn_lib's model with the public ``attn_lib.train`` and record its clock.

    ``train`` already keeps evaluation off its training clock (``history.train_seconds``). The
    set-up before the first epoch (compiling, building the input pipeline) is measured as the
    whole call minus training and evaluation, and charged to the first epoch, as the
    reference's race clock charges its ``fit`` set-up.
    """

    def make() -> AttentionSeq2Seq:
        return AttentionSeq2Seq(
            len(data.source_vocab),
            len(data.target_vocab),
            data.input_length,
            data.output_length,
            units=config.units,
            embedding_dim=config.embedding_dim,
            score=config.score,
            bidirectional=config.bidirectional,
        )

    recipe = config.recipe.replace(
        epochs=budget.max_epochs, target_accuracy=budget.target, seed=seed
    )
    # Every run builds its training graph, as every reference run does (train() would otherwise
    # reuse the graph of the previous seed).
    forget_compiled_models()
    start, cpu_start = time.perf_counter(), time.process_time()
    model, history = train(make, data, recipe, verbose=0)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    evals = history.history["eval_seconds"]
    cumulative = history.history["train_seconds"]
    setup = max(0.0, wall - cumulative[-1] - sum(evals))
    result.train_seconds = [round(s + setup, 3) for s in cumulative]
    # process CPU time is not split by epoch inside train(): spread it in proportion to wall time
    share = (cpu - sum(evals)) / max(wall - sum(evals), 1e-9)
    result.train_cpu_seconds = [round(s * share, 3) for s in result.train_seconds]
    result.eval_seconds = [round(s, 3) for s in evals]
    result.val_exact_match = [round(v, 5) for v in history.history["val_exact_match"]]
    result.loss = [round(v, 5) for v in history.history["loss"]]
    result.epochs_run = history.epochs
    for epoch, accuracy in enumerate(result.val_exact_match, start=1):
        _common.log(
            f"       ours seed {seed} epoch {epoch:>3}: exact match {accuracy:.4f}, "
            f"train {result.train_seconds[epoch - 1]:7.1f} s, eval {evals[epoch - 1]:.1f} s"
        )
    if history.reached_target:
        result.reached = True
        result.epochs_to_target = history.epochs
        result.seconds_to_target = result.train_seconds[-1]
        result.stopped_by = "target"
    else:
        result.stopped_by = "max_epochs"
    return result, model


def describe_ours(config: OursConfig) -> dict[str, Any]:
    """How attn_lib's contestant is built and trained (for the results file)."""
    return {
        "description": f"attn_lib AttentionSeq2Seq({config.score}, units={config.units}, "
        f"embedding_dim={config.embedding_dim}), trained by attn_lib.train",
        "config": {
            "score": config.score,
            "units": config.units,
            "embedding_dim": config.embedding_dim,
            "bidirectional": config.bidirectional,
            "loop": "attn_lib.train",
            **config.recipe.to_dict(),
        },
    }


# ====================================================================== race
@dataclass
class RunResult:
    """One contestant's run for one seed."""

    contestant: str
    seed: int
    order: int
    reached: bool = False
    epochs_to_target: int | None = None
    seconds_to_target: float | None = None
    epochs_run: int = 0
    train_seconds: list[float] = field(default_factory=list)  # cumulative, after each epoch
    train_cpu_seconds: list[float] = field(default_factory=list)  # same, process CPU time
    eval_seconds: list[float] = field(default_factory=list)  # per epoch
    val_exact_match: list[float] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    stopped_by: str = ""


class RaceClock:
    """The epoch hook: scores validation and keeps the evaluation time off the training clock."""

    def __init__(self, contestant: Contestant, result: RunResult, budget: Budget) -> None:
        self.contestant = contestant
        self.result = result
        self.budget = budget
        self.start, self.cpu_start = time.perf_counter(), time.process_time()
        self.eval_total = self.cpu_eval_total = 0.0

    def __call__(self, epoch: int, loss: float) -> bool:
        now, cpu_now = time.perf_counter(), time.process_time()
        train_seconds = now - self.start - self.eval_total
        train_cpu_seconds = cpu_now - self.cpu_start - self.cpu_eval_total
        accuracy = self.contestant.evaluate()
        eval_seconds = time.perf_counter() - now
        self.eval_total += eval_seconds
        self.cpu_eval_total += time.process_time() - cpu_now
        result = self.result
        result.epochs_run = epoch + 1
        result.train_seconds.append(round(train_seconds, 3))
        result.train_cpu_seconds.append(round(train_cpu_seconds, 3))
        result.eval_seconds.append(round(eval_seconds, 3))
        result.val_exact_match.append(round(accuracy, 5))
        result.loss.append(round(loss, 5))
        _common.log(
            f"  {result.contestant:>9} seed {result.seed} epoch {epoch + 1:>3}: "
            f"exact match {accuracy:.4f}, train {train_seconds:7.1f} s "
            f"(CPU {train_cpu_seconds:7.1f} s), eval {eval_seconds:.1f} s"
        )
        if accuracy >= self.budget.target:
            result.reached = True
            result.epochs_to_target = epoch + 1
            result.seconds_to_target = round(train_seconds, 3)
            result.stopped_by = "target"
            return True
        if train_seconds >= self.budget.max_seconds:
            result.stopped_by = "max_seconds"
            return True
        return False


def run(contestant: Contestant, result: RunResult, budget: Budget) -> RunResult:
    """Train until the target, the epoch cap or the time cap (the clock starts before setup)."""
    clock = RaceClock(contestant, result, budget)
    contestant.train(budget.max_epochs, clock)
    if not result.stopped_by:
        result.stopped_by = "max_epochs"
    return result


def race(
    seeds: list[int],
    budget: Budget,
    ours: OursConfig,
    data: Seq2SeqData,
    contestants: list[str],
) -> tuple[list[RunResult], dict[str, dict[str, Any]]]:
    """Run every contestant for every seed, alternating who goes first (ABBA)."""
    results: list[RunResult] = []
    described: dict[str, dict[str, Any]] = {}
    for index, seed in enumerate(seeds):
        order = contestants if index % 2 == 0 else contestants[::-1]
        for position, name in enumerate(order, start=1):
            keras.backend.clear_session()
            keras.utils.set_random_seed(seed)
            result = RunResult(name, seed, position)
            if name == "reference":
                contestant = build_reference(data)
                described[name] = {
                    "description": contestant.description,
                    "config": contestant.config,
                    "parameters": int(contestant.model.count_params()),
                }
                _common.log(f"seed {seed}: {name} ({contestant.description})")
                results.append(run(contestant, result, budget))
            else:
                _common.log(f"seed {seed}: ours (attn_lib.train)")
                result, model = run_ours(data, ours, seed, budget, result)
                described[name] = {**describe_ours(ours), "parameters": int(model.count_params())}
                results.append(result)
    return results, described


# ====================================================================== report
def summarise(results: list[RunResult], contestants: list[str], budget: Budget) -> dict[str, Any]:
    """Medians over seeds per contestant, and the reference / ours time ratio."""
    summary: dict[str, Any] = {"target": budget.target, "goal_ratio": GOAL_RATIO}
    for name in contestants:
        runs = [r for r in results if r.contestant == name]
        reached = [r for r in runs if r.reached]
        epoch_times = [
            later - earlier
            for r in runs
            for earlier, later in zip(r.train_seconds, r.train_seconds[1:], strict=False)
        ]
        summary[name] = {
            "runs": len(runs),
            "reached": len(reached),
            "median_seconds_to_target": (
                _common.median([r.seconds_to_target for r in reached])
                if len(reached) == len(runs)
                else None
            ),
            "median_epochs_to_target": (
                _common.median([r.epochs_to_target for r in reached])
                if len(reached) == len(runs)
                else None
            ),
            "median_first_epoch_seconds": _common.median([r.train_seconds[0] for r in runs]),
            "median_later_epoch_seconds": _common.median(epoch_times),
            "median_eval_seconds_per_epoch": _common.median(
                [s for r in runs for s in r.eval_seconds]
            ),
            "best_val_exact_match": max((max(r.val_exact_match) for r in runs), default=None),
        }
    summary["ratio"] = None
    summary["ratio_is_lower_bound"] = False
    if {"reference", "ours"} <= set(contestants):
        ours_seconds = summary["ours"]["median_seconds_to_target"]
        ref_runs = [r for r in results if r.contestant == "reference"]
        # A reference run that hit a cap counts with its whole training time: a lower bound.
        ref_seconds = _common.median(
            [r.seconds_to_target if r.reached else r.train_seconds[-1] for r in ref_runs]
        )
        if ours_seconds and ref_seconds is not None:
            summary["ratio"] = round(ref_seconds / ours_seconds, 2)
            summary["ratio_is_lower_bound"] = any(not r.reached for r in ref_runs)
    summary["goal_met"] = summary["ratio"] is not None and summary["ratio"] >= GOAL_RATIO
    return summary


SCORE_LABELS = {"dot": "내적 어텐션", "general": "일반 점수 어텐션", "additive": "가산 어텐션"}


def recipe_line(config: dict[str, Any]) -> str:
    """The attention contestant's model and recipe in one Korean sentence, from its config."""
    if config.get("schedule") == "cosine":
        rate = (
            f"최고 학습률 {config['learning_rate']:g}({config['warmup_epochs']:g}에폭 예열 뒤 "
            f"{config['decay_epochs']:g}에폭까지 코사인 감소)"
        )
    else:
        rate = f"학습률 {config['learning_rate']:g}(고정)"
    clip = (
        f", 기울기 자르기(gradient clipping) 노름 {config['clipnorm']:g}"
        if config.get("clipnorm")
        else ""
    )
    encoder = "양방향 인코더, " if config.get("bidirectional") else ""
    score = SCORE_LABELS.get(config["score"], config["score"])
    return (
        f"attn_lib 어텐션의 설정: {score}, {encoder}LSTM 유닛 {config['units']}, "
        f"임베딩 {config['embedding_dim']}차원, 배치 {config['batch_size']}, {rate}{clip}."
    )


def to_markdown(
    info: dict[str, Any],
    summary: dict[str, Any],
    results: list[RunResult],
    described: dict[str, dict[str, Any]],
    budget: Budget,
    settings: dict[str, Any],
) -> str:
    """Korean Markdown fragment: summary table, ratio line and one row per run."""
    labels = {"reference": "기준(keras-io)", "ours": "attn_lib 어텐션"}
    lines = [
        _common.machine_line(info),
        "",
        f"데이터: 덧셈 {settings['train_pairs']:,}쌍으로 학습, 검증 {settings['val_pairs']:,}쌍, "
        "질문 뒤집기. "
        f"목표: 검증 정확 일치 {budget.target:.2f} 이상. "
        f"한도: {budget.max_epochs}에폭 또는 학습 {budget.max_seconds:,.0f}초.",
        "",
    ]
    if "ours" in described:
        lines += [recipe_line(described["ours"]["config"]), ""]
    rows = []
    for name in (n for n in ("reference", "ours") if n in described):
        s = summary[name]
        rows.append(
            [
                labels[name],
                described[name]["description"],
                f"{described[name]['parameters']:,}" if "parameters" in described[name] else "—",
                f"{s['reached']}/{s['runs']}",
                _common.fmt(s["median_epochs_to_target"], 0),
                _common.fmt(s["median_seconds_to_target"]),
                _common.fmt(s["median_later_epoch_seconds"], 2),
                _common.fmt(s["median_eval_seconds_per_epoch"], 2),
            ]
        )
    lines.append(
        _common.markdown_table(
            [
                "참가자",
                "모델",
                "매개변수",
                "목표 도달",
                "에폭(중앙값)",
                "학습 시간(초, 중앙값)",
                "에폭당 학습(초)",
                "에폭당 평가(초, 제외)",
            ],
            rows,
        )
    )
    lines.append("")
    if summary["ratio"] is None:
        lines.append("시간 비율(기준 ÷ 어텐션): 계산할 수 없음 (어느 한쪽이 목표에 도달하지 못함).")
    else:
        bound = "이상(기준이 한도 안에 도달하지 못함)" if summary["ratio_is_lower_bound"] else ""
        met = "달성" if summary["goal_met"] else "미달"
        lines.append(
            f"시간 비율(기준 ÷ 어텐션, 중앙값): **{summary['ratio']:.1f}배**{bound}. "
            f"목표 {GOAL_RATIO:g}배: {met}."
        )
    lines.append("")
    run_rows = [
        [
            str(r.seed),
            str(r.order),
            labels[r.contestant],
            "예" if r.reached else f"아니요({STOP_LABELS[r.stopped_by]})",
            str(r.epochs_to_target if r.reached else r.epochs_run),
            _common.fmt(r.seconds_to_target if r.reached else r.train_seconds[-1]),
            _common.fmt(sum(r.eval_seconds)),
            _common.fmt(max(r.val_exact_match), 4),
        ]
        for r in results
    ]
    lines.append(
        _common.markdown_table(
            [
                "시드",
                "순서",
                "참가자",
                "도달",
                "에폭",
                "학습(초)",
                "평가(초)",
                "최고 정확 일치",
            ],
            run_rows,
        )
    )
    return "\n".join(lines)


# ====================================================================== CLI
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=3, help="number of seeds")
    parser.add_argument("--first-seed", type=int, default=0, help="seeds are first-seed, +1, ...")
    parser.add_argument("--quick", action="store_true", help="tiny budget: only checks it runs")
    parser.add_argument("--output-dir", type=Path, default=_common.RESULTS_DIR)
    parser.add_argument(
        "--render",
        type=Path,
        metavar="JSON",
        help="only rewrite the Markdown next to an earlier race's JSON (no training)",
    )
    parser.add_argument("--data-seed", type=int, default=0, help="seed of the generated pairs")
    parser.add_argument("--n-samples", type=int, help="override the number of pairs")
    parser.add_argument("--max-epochs", type=int, help="override the epoch cap")
    parser.add_argument("--max-seconds", type=float, help="override the training-seconds cap")
    parser.add_argument(
        "--contestants",
        default="reference,ours",
        help="comma-separated subset of reference,ours (e.g. 'ours' to tune)",
    )
    defaults = OursConfig()
    options = {
        **{k: v for k, v in asdict(defaults).items() if k != "recipe"},
        **defaults.recipe.to_dict(),
    }
    for key, value in options.items():
        if key in ("epochs", "seed", "target_accuracy"):
            continue  # set by the race: --max-epochs, --seeds, the target
        flag = "--ours-" + key.replace("_", "-")
        if isinstance(value, bool):
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=value)
        elif value is None or isinstance(value, float):
            parser.add_argument(flag, type=float, default=value)
        else:
            parser.add_argument(flag, type=type(value), default=value)
    args = parser.parse_args(argv)
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    names = [n.strip() for n in args.contestants.split(",") if n.strip()]
    if not names or any(n not in ("reference", "ours") for n in names):
        parser.error("--contestants takes reference and/or ours")
    args.contestants = names
    if args.render is not None and not args.render.is_file():
        parser.error(f"--render needs an earlier race's JSON file, got {args.render}")
    return args


def render(json_path: Path) -> str:
    """The Markdown of an earlier race, written again from its JSON (after a wording change)."""
    payload = json.loads(json_path.read_text(encoding="utf-8"))
    settings = payload["settings"]
    budget = Budget(**{f.name: settings[f.name] for f in fields(Budget)})
    results = [RunResult(**run) for run in payload["runs"]]
    return to_markdown(
        payload["machine"], payload["summary"], results, payload["contestants"], budget, settings
    )


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.render is not None:
        markdown = render(args.render)
        md_path = args.render.with_suffix(".md")
        md_path.write_text(markdown.rstrip() + "\n", encoding="utf-8")
        print(f"wrote {md_path}")
        return
    base = QUICK if args.quick else FULL
    budget = Budget(
        n_samples=args.n_samples or base.n_samples,
        max_epochs=args.max_epochs or base.max_epochs,
        max_seconds=args.max_seconds or base.max_seconds,
        target=base.target,
    )
    defaults = OursConfig()
    model_fields = [k for k in asdict(defaults) if k != "recipe"]
    recipe = {
        key: getattr(args, "ours_" + key)
        for key in defaults.recipe.to_dict()
        if key not in ("epochs", "seed", "target_accuracy")
    }
    if recipe["clipnorm"] is not None and recipe["clipnorm"] <= 0:
        recipe["clipnorm"] = None
    if recipe["eval_examples"] is not None:
        recipe["eval_examples"] = int(recipe["eval_examples"])
    ours = OursConfig(
        **{key: getattr(args, "ours_" + key) for key in model_fields},
        recipe=defaults.recipe.replace(**recipe),
    )
    info = _common.machine_info(quick=args.quick)
    data = make_data(budget, args.data_seed)
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    started = time.perf_counter()
    results, described = race(seeds, budget, ours, data, args.contestants)
    _common.finish_machine_info(info)
    summary = summarise(results, args.contestants, budget)
    payload = {
        "machine": info,
        "settings": {
            **asdict(budget),
            "seeds": seeds,
            "data_seed": args.data_seed,
            "train_pairs": len(data.train),
            "val_pairs": len(data.val),
            "test_pairs": len(data.test),
            "contestants": args.contestants,
            "wall_seconds": round(time.perf_counter() - started, 1),
        },
        "contestants": described,
        "summary": summary,
        "runs": [asdict(r) for r in results],
    }
    markdown = to_markdown(info, summary, results, described, budget, payload["settings"])
    json_path, md_path = _common.write_results(NAME, payload, markdown, args.output_dir)
    print(markdown)
    print(f"\nwrote {json_path} and {md_path}")


if __name__ == "__main__":
    main()
