"""Seeded training with exact-match accuracy on validation after every epoch, plus caching.

All settings travel as one frozen :class:`TrainConfig`, passed whole to :func:`train`, to the
result cache's key and to the benchmarks, so a new knob is added in one place. Nothing here is
specific to a chapter or a task: :func:`train` takes any seq2seq model of :mod:`attn_lib.models`
and any :class:`~attn_lib.tasks.Seq2SeqData`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import keras
import numpy as np

from attn_lib.decoding import greedy_decode, quiet_retracing_warning
from attn_lib.metrics import char_accuracy, exact_match

if TYPE_CHECKING:
    from attn_lib.cache import ResultCache
    from attn_lib.tasks import Seq2SeqData, Split

__all__ = [
    "TrainConfig",
    "TrainingHistory",
    "forget_compiled_models",
    "learning_rate_schedule",
    "train",
]

ModelFactory = Callable[[], keras.Model]

METRICS = ("loss", "val_char_accuracy", "val_exact_match", "train_seconds", "eval_seconds")
SCHEDULES = ("constant", "cosine")
TARGET_METRICS = ("val_exact_match", "val_char_accuracy")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.floating, np.integer)) and not isinstance(value, bool)


@dataclass(frozen=True)
class TrainConfig:
    """How a model is trained: budget, optimiser recipe, seed and stopping rule.

    Attributes:
        epochs: maximum number of passes over the training split.
        batch_size: examples per gradient step (each epoch drops the < ``batch_size`` examples
            left over after a fresh shuffle, so every step has the same shape).
        learning_rate: Adam's learning rate (the peak with ``schedule="cosine"``).
        schedule: ``"constant"`` or ``"cosine"``; see :func:`learning_rate_schedule`.
        warmup_epochs, decay_epochs: shape of the cosine schedule.
        clipnorm: clip each gradient to this norm (None: no clipping).
        seed: seed for Python, NumPy and the backend (initial weights and shuffling).
        target_accuracy: stop as soon as the validation metric ``target_metric`` reaches this
            value (None: never).
        target_metric: ``"val_exact_match"`` (the whole sequence right) or
            ``"val_char_accuracy"`` (per character, like Keras' ``accuracy``).
        eval_examples: validation examples greedy-decoded after every epoch (the first ones of
            the split, which is already shuffled); None scores the whole split.

    >>> config = TrainConfig(epochs=5, batch_size=64)
    >>> config.replace(seed=1).seed
    1
    """

    epochs: int = 10
    batch_size: int = 128
    learning_rate: float = 1e-3
    schedule: str = "constant"
    warmup_epochs: float = 0.0
    decay_epochs: float | None = None
    clipnorm: float | None = None
    seed: int = 0
    target_accuracy: float | None = None
    target_metric: str = "val_exact_match"
    eval_examples: int | None = 1000

    def __post_init__(self) -> None:
        if not _is_int(self.epochs) or self.epochs <= 0:
            raise ValueError(f"epochs must be a positive integer, got {self.epochs!r}")
        if not _is_int(self.batch_size) or self.batch_size <= 0:
            raise ValueError(f"batch_size must be a positive integer, got {self.batch_size!r}")
        if not _is_number(self.learning_rate) or not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be a positive number, got {self.learning_rate!r}")
        _check_recipe(self.schedule, self.warmup_epochs, self.decay_epochs, self.clipnorm)
        if not _is_int(self.seed) or self.seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {self.seed!r}")
        target = self.target_accuracy
        if target is not None and (not _is_number(target) or not 0 < target <= 1):
            raise ValueError(f"target_accuracy must be in (0, 1] or None, got {target!r}")
        if self.target_metric not in TARGET_METRICS:
            raise ValueError(
                f"target_metric must be one of {TARGET_METRICS}, got {self.target_metric!r}"
            )
        evals = self.eval_examples
        if evals is not None and (not _is_int(evals) or evals <= 0):
            raise ValueError(f"eval_examples must be a positive integer or None, got {evals!r}")

    def replace(self, **changes: Any) -> TrainConfig:
        """A copy with some settings changed; an unknown name is a ``ValueError``."""
        _check_fields(changes)
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """The settings as a plain dict (JSON-able; part of cache keys and histories)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        """Inverse of :meth:`to_dict`; unknown keys are a ``ValueError``, missing ones default."""
        if not isinstance(data, dict):
            raise ValueError(f"expected a dict of settings, got {type(data).__name__}")
        _check_fields(data)
        return cls(**data)


def _check_fields(names: dict[str, Any]) -> None:
    known = {f.name for f in dataclasses.fields(TrainConfig)}
    unknown = sorted(set(names) - known)
    if unknown:
        raise ValueError(f"unknown training setting(s) {unknown}; known: {sorted(known)}")


@dataclass
class TrainingHistory:
    """Per-epoch numbers of one training run.

    Attributes:
        history: metric name → one value per epoch: ``loss`` (training loss), ``val_char_accuracy``
            and ``val_exact_match`` (greedy decoding of ``eval_examples`` validation examples),
            ``train_seconds`` (cumulative seconds spent training, evaluation excluded) and
            ``eval_seconds`` (seconds of that epoch's evaluation).
        reached_target: training stopped because the target metric reached the target.
        config: what was trained and how: ``model`` (class name), ``model_config`` and the
            :class:`TrainConfig` fields.
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

    @property
    def train_seconds(self) -> float:
        """Seconds spent training, evaluation excluded."""
        seconds = self.history["train_seconds"]
        return seconds[-1] if seconds else 0.0

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


class _EpochEnd(keras.callbacks.Callback):
    """After every epoch: greedy-decode the validation subset, log, snapshot, maybe stop."""

    def __init__(
        self,
        split: Split,
        record: TrainingHistory,
        config: TrainConfig,
        verbose: int,
        snapshot_inputs: np.ndarray | None,
    ) -> None:
        super().__init__()
        limit = config.eval_examples or len(split)
        self.x, self.y = split.x[:limit], split.y[:limit]
        self.record = record
        self.config = config
        self.verbose = verbose
        self.snapshot_inputs = snapshot_inputs
        self.fit_seconds = 0.0
        self._epoch_start = 0.0

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch_start = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        start = time.perf_counter()
        self.fit_seconds += start - self._epoch_start
        decoded = greedy_decode(self.model, self.x)
        exact = exact_match(decoded.token_ids, self.y)
        chars = char_accuracy(decoded.token_ids, self.y)
        if self.snapshot_inputs is not None:
            snapshot = greedy_decode(self.model, self.snapshot_inputs).attention
            if snapshot is None:
                raise ValueError("snapshot_inputs needs a model with attention")
            self.record.snapshots.append(snapshot)
        history = self.record.history
        history["loss"].append(float((logs or {}).get("loss", np.nan)))
        history["val_char_accuracy"].append(chars)
        history["val_exact_match"].append(exact)
        history["train_seconds"].append(self.fit_seconds)
        history["eval_seconds"].append(time.perf_counter() - start)
        if self.verbose:
            print(
                f"에폭 {epoch + 1:>3}/{self.config.epochs}  손실 {history['loss'][-1]:.4f}  "
                f"검증 문자 정확도 {chars:.3f}  검증 정확 일치 {exact:.3f}  "
                f"(학습 {self.fit_seconds:.1f}초)"
            )
        target = self.config.target_accuracy
        reached = history[self.config.target_metric][-1]
        if target is not None and reached >= target:
            self.record.reached_target = True
            self.model.stop_training = True


#: TensorFlow's global seed while :func:`train` runs, the same for every run (see `_seed`).
TF_GLOBAL_SEED = 0


def _reset_keras_seed_generator() -> bool:
    """Drop Keras' global seed generator, as ``keras.utils.set_random_seed`` does.

    Unseeded ``keras.random`` calls then get a new generator, seeded from Python's ``random``
    on first use. Returns False when this Keras lacks the internals used here.
    """
    try:
        from keras.src.backend.common import global_state
        from keras.src.random.seed_generator import GLOBAL_SEED_GENERATOR
    except ImportError:
        return False
    global_state.set_global_attribute(GLOBAL_SEED_GENERATOR, None)
    return True


def _seed(seed: int) -> None:
    """Seed one run like ``keras.utils.set_random_seed(seed)``, without clearing TF's caches.

    Changing TensorFlow's global seed (``tf.random.set_seed``, which ``set_random_seed`` calls)
    clears TensorFlow's kernel cache: every traced function used afterwards (the train step,
    greedy decoding) is instantiated again, about 1-1.5 s per ``train`` call on a 2-core CPU.
    So the global seed stays at ``TF_GLOBAL_SEED`` (set once, or again after a reader changed
    it), and ``seed`` reaches everything a run draws: Python's ``random`` (Keras takes the
    seeds of its initialisers and layer seed generators from it), NumPy, Keras' global seed
    generator, and the shuffle of the training batches (its operation seed).
    """
    import tensorflow as tf  # tf.data shuffles the batches on every Keras backend

    random.seed(seed)
    np.random.seed(seed)
    if not _reset_keras_seed_generator():  # a Keras without these internals: the public way
        keras.utils.set_random_seed(seed)  # (it also changes TF's global seed, reset below)
    if tf.compat.v1.random.get_seed(1)[0] != TF_GLOBAL_SEED:
        tf.random.set_seed(TF_GLOBAL_SEED)


def _check_data(model: keras.Model, data: Seq2SeqData, config: TrainConfig) -> None:
    for attribute in ("input_length", "output_length", "source_vocab_size", "target_vocab_size"):
        if not hasattr(model, attribute):
            raise ValueError(f"train needs an attn_lib seq2seq model, got {type(model)!r}")
    if len(data.train) == 0 or len(data.val) == 0:
        raise ValueError(
            f"training needs non-empty train and validation splits, got "
            f"{len(data.train)} and {len(data.val)} examples"
        )
    if config.batch_size > len(data.train):
        raise ValueError(
            f"batch_size {config.batch_size} is larger than the training split "
            f"({len(data.train)} examples)"
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


def _check_recipe(
    schedule: str, warmup_epochs: float, decay_epochs: float | None, clipnorm: float | None
) -> None:
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}; choose from {SCHEDULES}")
    if not _is_number(warmup_epochs) or not warmup_epochs >= 0:
        raise ValueError(f"warmup_epochs must be zero or positive, got {warmup_epochs!r}")
    if decay_epochs is not None and (not _is_number(decay_epochs) or not decay_epochs > 0):
        raise ValueError(f"decay_epochs must be positive or None, got {decay_epochs!r}")
    if schedule == "constant" and (warmup_epochs or decay_epochs is not None):
        raise ValueError("warmup_epochs and decay_epochs need schedule='cosine'")
    if decay_epochs is not None and warmup_epochs >= decay_epochs:
        raise ValueError(
            f"warmup_epochs ({warmup_epochs}) must end before decay_epochs ({decay_epochs})"
        )
    if clipnorm is not None and (not _is_number(clipnorm) or not clipnorm > 0):
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
    with a high peak rate, a short warm-up and a cosine decay is the recipe that reaches 0.99
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
    if not _is_number(learning_rate) or not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")
    if not _is_int(steps_per_epoch) or steps_per_epoch <= 0:
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


def _training_batches(split: Split, input_length: int, config: TrainConfig) -> Any:
    """Shuffled fixed-size batches ``((x, decoder_input), y)``, reshuffled every epoch.

    Dropping the few examples left over after each shuffle keeps every batch the same shape, so
    the train step is traced once instead of twice (a different example is left out each epoch).

    The pipeline shuffles example *indices* and gathers each batch with one vectorised
    ``tf.gather`` per array: shuffling the index dataset uses the same seed and buffer as
    shuffling the examples themselves, so the batches are identical (a test checks this), but
    the pipeline handles one small tensor per example instead of three, and assembles a batch
    in one operation instead of one per example. On the race recipe (batch 512) this took an
    epoch of the pipeline alone from 0.08 s to 0.03 s and a training epoch about 0.1 s faster on
    the 2-core benchmark machine, where the pipeline thread shares the cores with the training.

    tf.data's autotuner is switched off: with it, creating or closing the iterator at an epoch
    boundary sometimes stalled for about 5 s on the 2-core benchmark machine (one or two stalls
    in most 5-epoch runs, none in runs without it; ``benchmarks/README.md``). The pipeline only
    slices arrays already in memory, so a fixed two-batch prefetch loses nothing.
    """
    import tensorflow as tf  # tf.data feeds `fit` on every Keras backend

    x = split.x
    if x.shape[1] < input_length:
        x = np.pad(x, ((0, 0), (0, input_length - x.shape[1])))
    x, decoder_input, y = (tf.constant(a) for a in (x, split.decoder_input, split.y))

    def gather(indices: Any) -> Any:
        return (tf.gather(x, indices), tf.gather(decoder_input, indices)), tf.gather(y, indices)

    dataset = tf.data.Dataset.range(len(split))
    dataset = dataset.shuffle(len(split), seed=config.seed, reshuffle_each_iteration=True)
    dataset = dataset.batch(config.batch_size, drop_remainder=True).map(gather)
    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.prefetch(2).with_options(options)


def _compile(model: keras.Model, config: TrainConfig, steps_per_epoch: int) -> None:
    rate = learning_rate_schedule(
        config.learning_rate,
        steps_per_epoch=steps_per_epoch,
        epochs=config.epochs,
        schedule=config.schedule,
        warmup_epochs=config.warmup_epochs,
        decay_epochs=config.decay_epochs,
    )
    model.compile(
        optimizer=keras.optimizers.Adam(rate, clipnorm=config.clipnorm),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0),
        # steps_per_execution > 1 was measured slower here: its loop costs about 2 s more to
        # trace, more than it saves on the small batches of the book's tasks.
    )
    model.optimizer.build(model.trainable_variables)


class _Trainers:
    """Compiled models kept for reuse, one per architecture, recipe and batch shape.

    Building the training graph costs a few seconds per model (TensorFlow traces and optimises
    it), often more than the training itself on the book's small tasks. A chapter trains the
    same architecture with several seeds, so :func:`train` keeps a compiled copy per
    architecture and recipe: it loads the fresh model's initial weights into that copy, resets
    the optimizer to its initial state, trains, and copies the trained weights back into the
    fresh model. The arithmetic is exactly that of compiling the fresh model (a test checks the
    histories are identical); only the tracing is saved.
    """

    def __init__(self, size: int = 6) -> None:
        self.size = size
        self.entries: dict[str, tuple[keras.Model, list[np.ndarray]]] = {}

    @staticmethod
    def key(model: keras.Model, config: TrainConfig, steps_per_epoch: int) -> str:
        recipe = config.to_dict()
        for field_name in ("seed", "target_accuracy", "target_metric", "eval_examples"):
            recipe.pop(field_name)  # they do not change the compiled graph
        parts = {
            "class": f"{type(model).__module__}.{type(model).__qualname__}",
            "model": {k: v for k, v in model.get_config().items() if k != "name"},
            "recipe": recipe,
            "steps_per_epoch": steps_per_epoch,
            "backend": keras.backend.backend(),
        }
        return hashlib.sha256(repr(sorted(parts.items())).encode()).hexdigest()

    def trainer_for(
        self, fresh: keras.Model, config: TrainConfig, steps_per_epoch: int
    ) -> keras.Model:
        """A compiled model of ``fresh``'s architecture, holding ``fresh``'s initial weights."""
        key = self.key(fresh, config, steps_per_epoch)
        if key not in self.entries:
            trainer = type(fresh).from_config(fresh.get_config())
            if [w.shape for w in trainer.weights] != [w.shape for w in fresh.weights]:
                raise ValueError(f"{type(fresh).__name__} does not rebuild from its config")
            _compile(trainer, config, steps_per_epoch)
            initial = [v.numpy() for v in trainer.optimizer.variables]
            if len(self.entries) >= self.size:
                self.entries.pop(next(iter(self.entries)))
            self.entries[key] = (trainer, initial)
        trainer, initial = self.entries[key]
        trainer.set_weights(fresh.get_weights())
        for variable, value in zip(trainer.optimizer.variables, initial, strict=True):
            variable.assign(value)  # step 0, zero moments: a fresh optimizer
        return trainer

    def clear(self) -> None:
        """Forget every compiled model (they are rebuilt on demand)."""
        self.entries.clear()


_TRAINERS = _Trainers()


def forget_compiled_models() -> None:
    """Drop the compiled copies :func:`train` keeps for reuse, so the next run builds its graph.

    Benchmarks call it to time every run from scratch; it never changes a result.
    """
    _TRAINERS.clear()


def _fit(
    model: keras.Model,
    data: Seq2SeqData,
    config: TrainConfig,
    verbose: int,
    snapshot_inputs: np.ndarray | None,
    *,
    reuse: bool = False,
) -> TrainingHistory:
    """Train ``model`` in place; with ``reuse``, on a shared compiled copy (see `_Trainers`)."""
    _check_data(model, data, config)
    steps_per_epoch = len(data.train) // config.batch_size
    trainer = None
    if reuse:
        try:
            trainer = _TRAINERS.trainer_for(model, config, steps_per_epoch)
        except (TypeError, ValueError, NotImplementedError):
            trainer = None  # a model that cannot be rebuilt from its config trains itself
    if trainer is None:
        trainer = model
        _compile(trainer, config, steps_per_epoch)
    record = TrainingHistory(
        config={
            "model": type(model).__name__,
            "model_config": model.get_config(),
            **config.to_dict(),
        }
    )
    callback = _EpochEnd(data.val, record, config, verbose, snapshot_inputs)
    with quiet_retracing_warning():
        trainer.fit(
            _training_batches(data.train, model.input_length, config),
            epochs=config.epochs,
            shuffle=False,  # the dataset reshuffles itself every epoch
            callbacks=[callback],
            verbose=2 if verbose >= 2 else 0,
        )
    if trainer is not model:
        model.set_weights(trainer.get_weights())
    return record


def source_digest() -> str:
    """sha256 of the attn_lib modules that shape a trained result, so code edits miss the cache."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    names = ["layers.py", "models.py", "transformer.py", "decoding.py", "metrics.py"]
    names += ["training.py", "vocab.py"]
    paths = [package / name for name in [*names, "validation.py"]]
    paths += sorted((package / "tasks").glob("*.py"))
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def train(
    model: keras.Model | ModelFactory,
    data: Seq2SeqData,
    config: TrainConfig | None = None,
    *,
    cache: ResultCache | bool = False,
    verbose: int = 1,
    snapshot_inputs: np.ndarray | None = None,
    **changes: Any,
) -> tuple[keras.Model, TrainingHistory]:
    """Train a seq2seq model and measure exact match on validation after every epoch.

    The seed is set before the model is built when ``model`` is a factory (a zero-argument
    callable), so the initial weights, the shuffling and therefore the whole history repeat
    exactly on the same machine (TensorFlow's CPU kernels still differ a little between
    machines). It seeds Python, NumPy and Keras as ``keras.utils.set_random_seed`` does, but
    leaves TensorFlow's global seed at ``TF_GLOBAL_SEED``: changing it would make TensorFlow
    rebuild every traced function (1-1.5 s per call on a 2-core CPU).

    Args:
        model: a model from :mod:`attn_lib.models`, or a zero-argument function that builds one
            (required with ``cache``).
        data: a :class:`~attn_lib.tasks.Seq2SeqData`.
        config: the :class:`TrainConfig`; default ``TrainConfig()``.
        cache: a :class:`~attn_lib.cache.ResultCache`, or True for the default one: reuse the
            stored model and history of an identical earlier run instead of training. The key
            covers the data, the model's class and config, every setting, the library code and
            the package versions.
        verbose: 0 silent, 1 one line per epoch, 2 also Keras' progress bar.
        snapshot_inputs: encoder tokens `(n, input_length)` whose greedy attention is stored
            after every epoch (``history.snapshots``), to watch the alignment emerge.
        **changes: settings that override ``config``, e.g. ``train(m, data, epochs=3)``.

    Returns:
        ``(model, history)``.
    """
    config = (config if config is not None else TrainConfig()).replace(**changes)
    if not isinstance(config, TrainConfig):
        raise ValueError(f"config must be a TrainConfig, got {type(config).__name__}")
    if snapshot_inputs is not None:
        snapshot_inputs = np.asarray(snapshot_inputs)
        if snapshot_inputs.ndim != 2 or len(snapshot_inputs) == 0:
            raise ValueError(
                f"snapshot_inputs must be a non-empty (n, input_length) array, "
                f"got shape {snapshot_inputs.shape}"
            )
    if cache is False or cache is None:
        _seed(config.seed)
        if isinstance(model, keras.Model):  # train the caller's model itself, in place
            return model, _fit(model, data, config, verbose, snapshot_inputs)
        if not callable(model):
            raise ValueError(f"model must be a keras.Model or a factory, got {type(model)!r}")
        fresh = model()
        return fresh, _fit(fresh, data, config, verbose, snapshot_inputs, reuse=True)
    return _train_cached(model, data, config, cache, verbose, snapshot_inputs)


def _train_cached(
    make_model: Any,
    data: Seq2SeqData,
    config: TrainConfig,
    cache: ResultCache | bool,
    verbose: int,
    snapshot_inputs: np.ndarray | None,
) -> tuple[keras.Model, TrainingHistory]:
    from attn_lib.cache import ResultCache

    if isinstance(make_model, keras.Model) or not callable(make_model):
        raise ValueError("train(..., cache=...) needs a function that builds the model")
    if cache is True:
        cache = ResultCache()
    if not isinstance(cache, ResultCache):
        raise ValueError(f"cache must be a ResultCache, True or False, got {type(cache).__name__}")
    _seed(config.seed)
    probe = make_model()
    key = cache.make_key(
        task=data.name,
        task_config=data.config,
        data=data.fingerprint(),
        model=type(probe).__name__,
        # Keras numbers auto-generated names per session; the name does not change the result.
        model_config={k: v for k, v in probe.get_config().items() if k != "name"},
        code=source_digest(),
        train_config=config.to_dict(),
        snapshot_inputs=None if snapshot_inputs is None else snapshot_inputs.tolist(),
    )

    def compute() -> tuple[keras.Model, dict[str, Any]]:
        _seed(config.seed)
        model = make_model()
        return model, _fit(model, data, config, verbose, snapshot_inputs, reuse=True).to_dict()

    hits_before = cache.hits
    entry = cache.get_or_compute(key, compute)
    history = TrainingHistory.from_dict(entry.payload)
    if verbose and cache.hits > hits_before:
        print(
            f"저장된 결과를 불러왔습니다: {type(probe).__name__}, {history.epochs} 에폭, "
            f"검증 정확 일치 {history.final():.3f}"
        )
    return entry.model, history
