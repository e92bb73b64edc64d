"""Chapter 2: the fixed-length bottleneck, measured as exact match against input length.

`run_length_sweep` trains a plain ``Seq2Seq`` (the encoder's last state is all the decoder gets)
and an ``AttentionSeq2Seq`` with one shared budget on the copy task at several lengths, then
measures exact match and per-position accuracy on the test split. `break_length` names the first
length at which a model falls below a threshold. Bahdanau et al. (2015, Fig. 2) is the paper
version of this experiment: BLEU against sentence length.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import keras
import numpy as np
import pandas as pd

from attn_lib.decoding import char_accuracy, exact_match, greedy_decode
from attn_lib.models import AttentionSeq2Seq, Seq2Seq, SimpleSeq2Seq
from attn_lib.tasks import Seq2SeqData, memorization_task
from attn_lib.training import TrainingHistory, train, train_cached

__all__ = [
    "MODEL_KINDS",
    "MODEL_LABELS",
    "BottleneckResult",
    "break_length",
    "make_factory",
    "make_task",
    "position_accuracy",
    "run_length_sweep",
    "teacher_forced_ids",
]

#: The two models of the chapter: no attention, and attention.
MODEL_KINDS = ("plain", "attention")
#: Legend / table label of each model; ``"simple"`` (keras-io's RepeatVector model) is there for
#: the exercises.
MODEL_LABELS = {
    "plain": "어텐션 없음 (Seq2Seq)",
    "attention": "어텐션 (AttentionSeq2Seq)",
    "simple": "어텐션 없음 (SimpleSeq2Seq)",
}


def make_task(
    length: int,
    n_samples: int,
    *,
    seed: int = 0,
    val_fraction: float = 0.05,
    test_fraction: float = 0.1,
) -> Seq2SeqData:
    """The copy task at one length: a random digit string in, the same string out."""
    return memorization_task(
        length,
        n_samples,
        mode="copy",
        seed=seed,
        val_fraction=val_fraction,
        test_fraction=test_fraction,
    )


def make_factory(
    kind: str, data: Seq2SeqData, *, units: int = 64, score: str = "dot"
) -> Callable[[], keras.Model]:
    """A zero-argument function that builds model ``kind`` (a key of `MODEL_LABELS`)."""
    if kind not in MODEL_LABELS:
        raise ValueError(f"unknown model kind {kind!r}; choose from {list(MODEL_LABELS)}")
    sizes = (len(data.source_vocab), len(data.target_vocab), data.input_length, data.output_length)

    def make() -> keras.Model:
        if kind == "plain":
            return Seq2Seq(*sizes, units=units)
        if kind == "simple":
            return SimpleSeq2Seq(*sizes, units=units)
        return AttentionSeq2Seq(*sizes, units=units, score=score)

    return make


def position_accuracy(predicted_ids: np.ndarray, target_ids: np.ndarray) -> np.ndarray:
    """Accuracy at each output position, averaged over examples; END and padding excluded.

    Args:
        predicted_ids: `(n, output_length)` predicted token ids.
        target_ids: `(n, output_length)` target ids (characters, END, padding).

    Returns:
        `(max_characters,)` accuracies; position ``i`` averages the examples that have a
        character there.
    """
    predicted_ids = np.asarray(predicted_ids)
    target_ids = np.asarray(target_ids)
    if predicted_ids.shape != target_ids.shape:
        raise ValueError(f"shapes differ: {predicted_ids.shape} and {target_ids.shape}")
    characters = target_ids > 2  # ids 0, 1, 2 are PAD, START, END
    width = int(characters.sum(axis=1).max())
    hits = (predicted_ids == target_ids) & characters
    return hits[:, :width].sum(axis=0) / np.maximum(characters[:, :width].sum(axis=0), 1)


def teacher_forced_ids(
    model: keras.Model, x: np.ndarray, decoder_input: np.ndarray, batch_size: int = 512
) -> np.ndarray:
    """Most likely token at every step when the decoder is fed the correct previous tokens.

    Plain eager calls, not ``model.predict``: the sweep scores ten models once each, and predict
    would trace a new function for every one of them (and trip TensorFlow's retracing warning).
    """
    parts = []
    for start in range(0, len(x), batch_size):
        batch = (x[start : start + batch_size], decoder_input[start : start + batch_size])
        logits = keras.ops.convert_to_numpy(model(batch, training=False))
        parts.append(np.argmax(logits, axis=-1))
    return np.concatenate(parts)


@dataclass
class BottleneckResult:
    """Everything `run_length_sweep` measured.

    Attributes:
        summary: one row per (model, length): ``kind``, ``model``, ``length``, ``params``,
            ``epochs`` run, ``train_seconds``, test ``exact_match`` and ``char_accuracy``.
        positions: one row per (model, length, position): ``kind``, ``model``, ``length``,
            ``position`` (1-based), ``greedy`` (accuracy with greedy decoding) and ``teacher``
            (accuracy when the decoder is fed the correct previous characters).
        histories: ``(kind, length)`` → per-epoch `TrainingHistory`.
        samples: ``(kind, length)`` → a few ``(input, prediction)`` strings from the test split.
        models: ``(kind, length)`` → the trained model.
    """

    summary: pd.DataFrame
    positions: pd.DataFrame
    histories: dict[tuple[str, int], TrainingHistory] = field(default_factory=dict)
    samples: dict[tuple[str, int], list[tuple[str, str]]] = field(default_factory=dict)
    models: dict[tuple[str, int], keras.Model] = field(default_factory=dict)

    def exact_match(self, kind: str) -> pd.Series:
        """Test exact match of model ``kind`` indexed by length."""
        rows = self.summary[self.summary["kind"] == kind]
        return rows.set_index("length")["exact_match"]


def run_length_sweep(
    lengths: Sequence[int],
    *,
    n_samples: int,
    epochs: int,
    units: int = 64,
    batch_size: int = 64,
    learning_rate: float = 5e-3,
    target_accuracy: float | None = 0.99,
    score: str = "dot",
    kinds: Sequence[str] = MODEL_KINDS,
    seed: int = 0,
    cached: bool = True,
    n_samples_shown: int = 3,
    verbose: int = 0,
) -> BottleneckResult:
    """Train every model in ``kinds`` on the copy task at every length, with one shared budget.

    Every (model, length) pair gets the same data size, units, batch size, learning rate, seed and
    at most ``epochs`` epochs; a run stops early once its validation exact match reaches
    ``target_accuracy`` (the same rule for every model).

    Args:
        lengths: string lengths to test, e.g. ``(5, 10, 20)``.
        n_samples: examples per length (train + validation + test).
        epochs: maximum epochs per run.
        units: LSTM size of encoder and decoder.
        batch_size, learning_rate, seed: shared by all runs.
        target_accuracy: early-stopping threshold on validation exact match; None runs all epochs.
        score: attention score of the attention model.
        kinds: which models (keys of `MODEL_LABELS`).
        cached: use `train_cached` (the notebook) instead of `train` (the claim test).
        n_samples_shown: test examples kept per run in ``samples``.
        verbose: 1 prints one line per epoch.

    Returns:
        A `BottleneckResult`.
    """
    if not lengths:
        raise ValueError("lengths is empty; give at least one string length")
    fit = train_cached if cached else train
    summary_rows, position_rows = [], []
    result = BottleneckResult(summary=pd.DataFrame(), positions=pd.DataFrame())
    for length in lengths:
        data = make_task(length, n_samples, seed=seed)
        test = data.test
        for kind in kinds:
            if verbose:
                print(f"--- {MODEL_LABELS[kind]}, 길이 {length}")
            model, history = fit(
                make_factory(kind, data, units=units, score=score),
                data,
                epochs=epochs,
                batch_size=batch_size,
                learning_rate=learning_rate,
                seed=seed,
                target_accuracy=target_accuracy,
                verbose=verbose,
            )
            decoded = greedy_decode(model, test.x, vocab=data.target_vocab)
            forced = teacher_forced_ids(model, test.x, test.decoder_input)
            summary_rows.append(
                {
                    "kind": kind,
                    "model": MODEL_LABELS[kind],
                    "length": length,
                    "params": model.count_params(),
                    "epochs": history.epochs,
                    "train_seconds": history.history["train_seconds"][-1],
                    "exact_match": exact_match(decoded.token_ids, test.y),
                    "char_accuracy": char_accuracy(decoded.token_ids, test.y),
                }
            )
            greedy = position_accuracy(decoded.token_ids, test.y)
            teacher = position_accuracy(forced, test.y)
            for position, (g, t) in enumerate(zip(greedy, teacher, strict=True), start=1):
                position_rows.append(
                    {
                        "kind": kind,
                        "model": MODEL_LABELS[kind],
                        "length": length,
                        "position": position,
                        "greedy": float(g),
                        "teacher": float(t),
                    }
                )
            key = (kind, length)
            result.histories[key] = history
            result.models[key] = model
            texts = decoded.texts or []
            result.samples[key] = list(zip(test.inputs, texts, strict=True))[:n_samples_shown]
    result.summary = pd.DataFrame(summary_rows)
    result.positions = pd.DataFrame(position_rows)
    return result


def break_length(summary: pd.DataFrame, kind: str = "plain", threshold: float = 0.5) -> int | None:
    """The first (shortest) length at which model ``kind``'s exact match is below ``threshold``.

    Returns None when the model stays at or above the threshold at every tested length.
    """
    rows = summary[summary["kind"] == kind].sort_values("length")
    if rows.empty:
        raise ValueError(f"no rows for model kind {kind!r} in the summary")
    below = rows[rows["exact_match"] < threshold]
    return None if below.empty else int(below["length"].iloc[0])
