"""Seeded training with exact-match accuracy on validation after every epoch, plus caching."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import keras
import numpy as np

from attn_lib.decoding import char_accuracy, exact_match, greedy_decode

if TYPE_CHECKING:
    from attn_lib.cache import ResultCache
    from attn_lib.tasks import Seq2SeqData, Split

ModelFactory = Callable[[], keras.Model]

METRICS = ("loss", "val_loss", "val_char_accuracy", "val_exact_match", "train_seconds")
SCHEDULES = ("constant", "cosine")


@dataclass
class TrainingHistory:
    """Per-epoch numbers of one training run.

    Attributes:
        history: metric name → one value per epoch (``loss``, ``val_loss``,
            ``val_char_accuracy``, ``val_exact_match``, and ``train_seconds``, the cumulative
            seconds spent in ``fit`` — evaluation time excluded).
        reached_target: training stopped because ``val_exact_match`` reached the target.
        config: what was trained and how (model class and config, budget, seed).
        snapshots: with ``snapshot_inputs``, the greedy attention on those inputs after every
            epoch, each `(n_examples, output_length, input_length)`.
    """

    history: dict[str, list[float]] = field(default_factory=lambda: {m: [] for m in METRICS})
    reached_target: bool = False
    config: dict[str, Any] = field(default_factory=dict)
    snapshots: list[np.ndarray] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        """Number of epochs run."""
        return len(self.history["loss"])

    def final(self, metric: str = "val_exact_match") -> float:
        """Value of ``metric`` after the last epoch."""
        values = self._metric(metric)
        if not values:
            raise ValueError("the history is empty: no epoch was run")
        return values[-1]

    def best(self, metric: str = "val_exact_match") -> float:
        """Largest value of ``metric`` over all epochs."""
        values = self._metric(metric)
        if not values:
            raise ValueError("the history is empty: no epoch was run")
        return max(values)

    def epochs_to(self, threshold: float, metric: str = "val_exact_match") -> int | None:
        """First epoch (1-based) at which ``metric`` reached ``threshold``; None if never."""
        for epoch, value in enumerate(self._metric(metric), start=1):
            if value >= threshold:
                return epoch
        return None

    def seconds_to(self, threshold: float, metric: str = "val_exact_match") -> float | None:
        """Training seconds until ``metric`` first reached ``threshold``; None if never."""
        epoch = self.epochs_to(threshold, metric)
        return None if epoch is None else self.history["train_seconds"][epoch - 1]

    def _metric(self, metric: str) -> list[float]:
        if metric not in self.history:
            raise ValueError(f"unknown metric {metric!r}; available: {sorted(self.history)}")
        return self.history[metric]

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (used by the result cache)."""
        return {
            "history": {k: [float(v) for v in vs] for k, vs in self.history.items()},
            "reached_target": self.reached_target,
            "config": self.config,
            "snapshots": [np.round(s, 4).tolist() for s in self.snapshots],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainingHistory:
        """Inverse of :meth:`to_dict`."""
        try:
            return cls(
                history={k: list(v) for k, v in data["history"].items()},
                reached_target=bool(data["reached_target"]),
                config=dict(data["config"]),
                snapshots=[np.asarray(s, dtype="float32") for s in data.get("snapshots", [])],
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not a TrainingHistory dictionary: {error}") from error


class ExactMatchCallback(keras.callbacks.Callback):
    """Greedy-decode the validation split after every epoch and log exact-match accuracy."""

    def __init__(
        self,
        split: Split,
        record: TrainingHistory,
        *,
        epochs: int,
        target_accuracy: float | None,
        verbose: int,
        batch_size: int = 512,
        snapshot_inputs: np.ndarray | None = None,
    ) -> None:
        super().__init__()
        self.split = split
        self.record = record
        self.epochs = epochs
        self.target_accuracy = target_accuracy
        self.verbose = verbose
        self.batch_size = batch_size
        self.snapshot_inputs = snapshot_inputs
        self.fit_seconds = 0.0
        self._epoch_start = 0.0

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch_start = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.fit_seconds += time.perf_counter() - self._epoch_start
        logs = logs if logs is not None else {}
        decoded = greedy_decode(self.model, self.split.x, batch_size=self.batch_size)
        exact = exact_match(decoded.token_ids, self.split.y)
        chars = char_accuracy(decoded.token_ids, self.split.y)
        logs["val_exact_match"] = exact
        logs["val_char_accuracy"] = chars
        history = self.record.history
        history["loss"].append(float(logs.get("loss", np.nan)))
        history["val_loss"].append(float(logs.get("val_loss", np.nan)))
        history["val_char_accuracy"].append(chars)
        history["val_exact_match"].append(exact)
        history["train_seconds"].append(self.fit_seconds)
        if self.snapshot_inputs is not None:
            snapshot = greedy_decode(self.model, self.snapshot_inputs).attention
            if snapshot is None:
                raise ValueError("snapshot_inputs needs a model with attention")
            self.record.snapshots.append(snapshot)
        if self.verbose == 1:
            print(
                f"에폭 {epoch + 1:>3}/{self.epochs}  손실 {history['loss'][-1]:.4f}  "
                f"검증 글자 정확도 {chars:.3f}  검증 정확 일치 {exact:.3f}  "
                f"({self.fit_seconds:.1f}초)"
            )
        if self.target_accuracy is not None and exact >= self.target_accuracy:
            self.record.reached_target = True
            self.model.stop_training = True


def _check_data(model: keras.Model, data: Seq2SeqData) -> None:
    if len(data.train) == 0 or len(data.val) == 0:
        raise ValueError(
            f"training needs non-empty train and validation splits, got "
            f"{len(data.train)} and {len(data.val)} examples"
        )
    if data.input_length > model.input_length:
        raise ValueError(
            f"the data's inputs are up to {data.input_length} tokens but the model accepts "
            f"{model.input_length}"
        )
    if data.output_length != model.output_length:
        raise ValueError(
            f"the data has {data.output_length} output steps but the model has "
            f"{model.output_length}"
        )
    if len(data.source_vocab) > model.source_vocab_size:
        raise ValueError(
            f"source vocabulary has {len(data.source_vocab)} ids but the model embeds only "
            f"{model.source_vocab_size}"
        )
    if len(data.target_vocab) != model.target_vocab_size:
        raise ValueError(
            f"target vocabulary has {len(data.target_vocab)} ids but the model predicts "
            f"{model.target_vocab_size}"
        )


def _check_budget(epochs: int, batch_size: int, learning_rate: float) -> None:
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs <= 0:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")


@contextlib.contextmanager
def _quiet_retracing_warning() -> Iterator[None]:
    """Hide TensorFlow's "triggered tf.function retracing" warning while ``fit`` runs.

    TensorFlow counts traces per code object, so the train functions of every model trained in one
    process (each traced for its full and its last, shorter batch) add up to one counter and trip
    the warning although nothing is retraced needlessly. Other backends never log it.
    """
    logger = logging.getLogger("tensorflow")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _check_recipe(
    schedule: str, warmup_epochs: float, decay_epochs: float | None, clipnorm: float | None
) -> None:
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}; choose from {SCHEDULES}")
    if isinstance(warmup_epochs, bool) or not warmup_epochs >= 0:
        raise ValueError(f"warmup_epochs must be zero or positive, got {warmup_epochs!r}")
    if decay_epochs is not None and (isinstance(decay_epochs, bool) or not decay_epochs > 0):
        raise ValueError(f"decay_epochs must be positive or None, got {decay_epochs!r}")
    if schedule == "constant" and (warmup_epochs or decay_epochs is not None):
        raise ValueError("warmup_epochs and decay_epochs need schedule='cosine'")
    if decay_epochs is not None and warmup_epochs >= decay_epochs:
        raise ValueError(
            f"warmup_epochs ({warmup_epochs}) must end before decay_epochs ({decay_epochs})"
        )
    if clipnorm is not None and (isinstance(clipnorm, bool) or not clipnorm > 0):
        raise ValueError(f"clipnorm must be positive or None, got {clipnorm!r}")


def learning_rate_schedule(
    learning_rate: float,
    *,
    steps_per_epoch: int,
    epochs: float,
    schedule: str = "constant",
    warmup_epochs: float = 0.0,
    decay_epochs: float | None = None,
) -> float | keras.optimizers.schedules.LearningRateSchedule:
    """Adam's learning rate: constant, or a linear warm-up followed by a cosine decay.

    With ``schedule="cosine"`` the rate climbs linearly from ``learning_rate / 10`` to
    ``learning_rate`` over ``warmup_epochs``, then follows a cosine down to 5 % of
    ``learning_rate`` at ``decay_epochs`` (default: ``epochs``) and stays there. A large batch
    with a high peak rate, a short warm-up and a cosine decay is the recipe that reached 0.99
    exact match on addition fastest in ``benchmarks/convergence.py``.

    Args:
        learning_rate: the constant rate, or the peak of the cosine schedule.
        steps_per_epoch: gradient steps per epoch (to turn epochs into steps).
        epochs: training length; the default end of the decay.
        schedule: ``"constant"`` or ``"cosine"``.
        warmup_epochs: length of the linear warm-up (``"cosine"`` only; may be fractional).
        decay_epochs: where the cosine reaches its floor (``"cosine"`` only).
    """
    _check_recipe(schedule, warmup_epochs, decay_epochs, None)
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")
    if isinstance(steps_per_epoch, bool) or not isinstance(steps_per_epoch, int):
        raise ValueError(f"steps_per_epoch must be a positive integer, got {steps_per_epoch!r}")
    if steps_per_epoch <= 0:
        raise ValueError(f"steps_per_epoch must be a positive integer, got {steps_per_epoch!r}")
    if schedule == "constant":
        return learning_rate
    end = decay_epochs if decay_epochs is not None else epochs
    if warmup_epochs == 0:
        return keras.optimizers.schedules.CosineDecay(
            learning_rate, decay_steps=max(1, round(end * steps_per_epoch)), alpha=0.05
        )
    warmup_steps = max(1, round(warmup_epochs * steps_per_epoch))
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=learning_rate / 10,
        warmup_target=learning_rate,
        warmup_steps=warmup_steps,
        decay_steps=max(1, round(end * steps_per_epoch) - warmup_steps),
        alpha=0.05,
    )


def _pad_inputs(x: np.ndarray, length: int) -> np.ndarray:
    if x.shape[1] == length:
        return x
    return np.pad(x, ((0, 0), (0, length - x.shape[1])))


def train(
    model: keras.Model | ModelFactory,
    data: Seq2SeqData,
    *,
    epochs: int,
    batch_size: int = 128,
    learning_rate: float = 1e-3,
    schedule: str = "constant",
    warmup_epochs: float = 0.0,
    decay_epochs: float | None = None,
    clipnorm: float | None = None,
    seed: int = 0,
    target_accuracy: float | None = None,
    verbose: int = 1,
    snapshot_inputs: np.ndarray | None = None,
) -> tuple[keras.Model, TrainingHistory]:
    """Train a seq2seq model and measure exact-match accuracy on validation every epoch.

    The seed is set before the model is built when ``model`` is a factory (a zero-argument
    callable), so the initial weights, the shuffling and therefore the whole history repeat
    exactly on the same machine.

    Args:
        model: a model from :mod:`attn_lib.models`, or a zero-argument function that builds one.
        data: a :class:`~attn_lib.tasks.Seq2SeqData`.
        epochs: maximum number of epochs.
        batch_size: examples per gradient step.
        learning_rate: Adam's learning rate (the peak with ``schedule="cosine"``).
        schedule, warmup_epochs, decay_epochs: see :func:`learning_rate_schedule`.
        clipnorm: clip each gradient to this norm (None: no clipping).
        seed: seed for Python, NumPy and the backend.
        target_accuracy: stop as soon as validation exact match reaches this value.
        verbose: 0 silent, 1 one line per epoch, 2 also Keras' progress bar.
        snapshot_inputs: encoder tokens `(n, input_length)` whose greedy attention is stored
            after every epoch (``history.snapshots``), to watch the alignment emerge.

    Returns:
        ``(model, history)``.
    """
    _check_budget(epochs, batch_size, learning_rate)
    _check_recipe(schedule, warmup_epochs, decay_epochs, clipnorm)
    if target_accuracy is not None and not 0 < target_accuracy <= 1:
        raise ValueError(f"target_accuracy must be in (0, 1], got {target_accuracy!r}")
    keras.utils.set_random_seed(seed)
    if not isinstance(model, keras.Model):
        if not callable(model):
            raise ValueError(f"model must be a keras.Model or a factory, got {type(model)!r}")
        model = model()
    _check_data(model, data)
    rate = learning_rate_schedule(
        learning_rate,
        steps_per_epoch=-(-len(data.train) // batch_size),
        epochs=epochs,
        schedule=schedule,
        warmup_epochs=warmup_epochs,
        decay_epochs=decay_epochs,
    )
    model.compile(
        optimizer=keras.optimizers.Adam(rate, clipnorm=clipnorm),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0),
    )
    record = TrainingHistory(
        config={
            "model": type(model).__name__,
            "model_config": model.get_config(),
            "epochs": epochs,
            "batch_size": batch_size,
            "learning_rate": learning_rate,
            "schedule": schedule,
            "warmup_epochs": warmup_epochs,
            "decay_epochs": decay_epochs,
            "clipnorm": clipnorm,
            "seed": seed,
            "target_accuracy": target_accuracy,
        }
    )
    val = data.val
    if snapshot_inputs is not None:
        snapshot_inputs = np.asarray(snapshot_inputs)
        if snapshot_inputs.ndim != 2 or len(snapshot_inputs) == 0:
            raise ValueError(
                f"snapshot_inputs must be a non-empty (n, input_length) array, "
                f"got shape {snapshot_inputs.shape}"
            )
    callback = ExactMatchCallback(
        val,
        record,
        epochs=epochs,
        target_accuracy=target_accuracy,
        verbose=verbose,
        snapshot_inputs=snapshot_inputs,
    )
    length = model.input_length
    with _quiet_retracing_warning():
        model.fit(
            (_pad_inputs(data.train.x, length), data.train.decoder_input),
            data.train.y,
            validation_data=((_pad_inputs(val.x, length), val.decoder_input), val.y),
            epochs=epochs,
            batch_size=batch_size,
            shuffle=True,
            callbacks=[callback],
            verbose=2 if verbose >= 2 else 0,
        )
    return model, record


def source_digest() -> str:
    """sha256 of the attn_lib modules that shape a trained result, so code edits miss the cache."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in ("layers.py", "models.py", "decoding.py", "training.py", "tasks.py", "vocab.py"):
        digest.update(name.encode())
        digest.update((package / name).read_bytes())
    return digest.hexdigest()


def train_cached(
    make_model: ModelFactory,
    data: Seq2SeqData,
    *,
    epochs: int,
    batch_size: int = 128,
    learning_rate: float = 1e-3,
    schedule: str = "constant",
    warmup_epochs: float = 0.0,
    decay_epochs: float | None = None,
    clipnorm: float | None = None,
    seed: int = 0,
    target_accuracy: float | None = None,
    verbose: int = 1,
    snapshot_inputs: np.ndarray | None = None,
    cache: ResultCache | None = None,
) -> tuple[keras.Model, TrainingHistory]:
    """Like :func:`train`, but reuse a stored result when the same run was done before.

    The key covers the task configuration, the model class and config, the budget, the seed and
    the library versions, so any change trains afresh. A damaged cache entry is retrained.
    """
    from attn_lib.cache import ResultCache

    _check_budget(epochs, batch_size, learning_rate)
    _check_recipe(schedule, warmup_epochs, decay_epochs, clipnorm)
    if not callable(make_model) or isinstance(make_model, keras.Model):
        raise ValueError("train_cached needs a zero-argument function that builds the model")
    cache = cache if cache is not None else ResultCache()
    keras.utils.set_random_seed(seed)
    probe = make_model()
    key = cache.make_key(
        task=data.name,
        task_config=data.config,
        data=data.fingerprint(),
        model=type(probe).__name__,
        # Keras numbers auto-generated names per session; the name does not change the result.
        model_config={k: v for k, v in probe.get_config().items() if k != "name"},
        code=source_digest(),
        epochs=epochs,
        batch_size=batch_size,
        learning_rate=learning_rate,
        schedule=schedule,
        warmup_epochs=warmup_epochs,
        decay_epochs=decay_epochs,
        clipnorm=clipnorm,
        seed=seed,
        target_accuracy=target_accuracy,
        snapshot_inputs=None if snapshot_inputs is None else np.asarray(snapshot_inputs).tolist(),
    )

    def compute() -> tuple[keras.Model, dict[str, Any]]:
        trained, history = train(
            make_model,
            data,
            epochs=epochs,
            batch_size=batch_size,
            learning_rate=learning_rate,
            schedule=schedule,
            warmup_epochs=warmup_epochs,
            decay_epochs=decay_epochs,
            clipnorm=clipnorm,
            seed=seed,
            target_accuracy=target_accuracy,
            verbose=verbose,
            snapshot_inputs=snapshot_inputs,
        )
        return trained, history.to_dict()

    hits_before = cache.hits
    entry = cache.get_or_compute(key, compute)
    history = TrainingHistory.from_dict(entry.payload)
    if verbose and cache.hits > hits_before:
        print(
            f"저장된 결과를 불러왔습니다: {type(probe).__name__}, {history.epochs} 에폭, "
            f"검증 정확 일치 {history.final():.3f}"
        )
    return entry.model, history
