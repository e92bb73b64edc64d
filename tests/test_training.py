"""Training, greedy decoding and caching on a small seeded copy task."""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
import pytest

from attn_lib.cache import ResultCache
from attn_lib.decoding import greedy_decode
from attn_lib.metrics import char_accuracy, exact_match
from attn_lib.models import AttentionSeq2Seq, Seq2Seq, SimpleSeq2Seq
from attn_lib.tasks import Seq2SeqData, memorization_task
from attn_lib.training import TrainConfig, TrainingHistory, learning_rate_schedule, train

LENGTH = 5


@pytest.fixture(scope="module")
def copy_data() -> Seq2SeqData:
    return memorization_task(LENGTH, 2000, mode="copy", alphabet="0123456789", seed=0)


def factory(cls: type, data: Seq2SeqData, **kwargs: object):
    options = {"units": 32, **kwargs}

    def make() -> keras.Model:
        return cls(
            len(data.source_vocab),
            len(data.target_vocab),
            data.input_length,
            data.output_length,
            **options,
        )

    return make


# Each family learns a 5-digit copy task within a few seconds of CPU training. The thresholds
# are exact-match accuracy on the held-out validation split (greedy decoding), measured with
# these seeds; they leave a margin under what the runs reach.
# (Training stops as soon as the threshold is reached.)
LEARNS = [
    ("simple", SimpleSeq2Seq, {"units": 64}, 14, 0.4),
    ("seq2seq-peek", Seq2Seq, {"peek": True}, 12, 0.7),
    ("additive", AttentionSeq2Seq, {"score": "additive"}, 6, 0.9),
    ("dot", AttentionSeq2Seq, {"score": "dot"}, 8, 0.9),
    ("general-bi", AttentionSeq2Seq, {"score": "general", "bidirectional": True}, 6, 0.9),
]


@pytest.mark.parametrize(("name", "cls", "kwargs", "epochs", "threshold"), LEARNS)
def test_each_family_learns_copy(
    name: str, cls: type, kwargs: dict, epochs: int, threshold: float, copy_data: Seq2SeqData
) -> None:
    model, history = train(
        factory(cls, copy_data, **kwargs),
        copy_data,
        epochs=epochs,
        batch_size=32,
        learning_rate=5e-3,
        seed=1,
        target_accuracy=threshold,
        verbose=0,
    )
    assert history.best() >= threshold, history.history["val_exact_match"]
    decoded = greedy_decode(model, copy_data.test.x, vocab=copy_data.target_vocab)
    assert exact_match(decoded.token_ids, copy_data.test.y) >= threshold - 0.1
    assert decoded.texts is not None
    assert sum(p == t for p, t in zip(decoded.texts, copy_data.test.targets, strict=True)) > 0


def test_history_is_complete_and_target_stops_early(copy_data: Seq2SeqData) -> None:
    _, history = train(
        factory(AttentionSeq2Seq, copy_data, score="dot"),
        copy_data,
        epochs=20,
        batch_size=32,
        learning_rate=5e-3,
        seed=1,
        target_accuracy=0.5,
        verbose=0,
    )
    assert history.reached_target
    assert history.epochs < 20
    assert history.epochs_to(0.5) == history.epochs
    metrics = ("loss", "val_char_accuracy", "val_exact_match", "train_seconds", "eval_seconds")
    for metric in metrics:
        assert len(history.history[metric]) == history.epochs
    assert np.all(np.diff(history.history["train_seconds"]) > 0)
    assert history.seconds_to(0.5) == history.history["train_seconds"][-1]
    assert history.epochs_to(1.01) is None
    round_trip = TrainingHistory.from_dict(history.to_dict())
    for metric, values in history.history.items():
        assert round_trip.history[metric] == pytest.approx(values)


def test_two_seeded_runs_are_identical(copy_data: Seq2SeqData) -> None:
    runs = [
        train(
            factory(AttentionSeq2Seq, copy_data, score="additive", units=8),
            copy_data,
            epochs=2,
            batch_size=256,
            seed=7,
            verbose=0,
        )[1]
        for _ in range(2)
    ]
    for metric in ("loss", "val_exact_match", "val_char_accuracy"):
        assert runs[0].history[metric] == runs[1].history[metric]


def test_snapshots_record_attention_per_epoch(copy_data: Seq2SeqData) -> None:
    inputs = copy_data.val.x[:3]
    _, history = train(
        factory(AttentionSeq2Seq, copy_data, score="dot", units=16),
        copy_data,
        epochs=2,
        seed=0,
        verbose=0,
        snapshot_inputs=inputs,
    )
    assert len(history.snapshots) == 2
    assert history.snapshots[0].shape == (3, copy_data.output_length, copy_data.input_length)


def test_cached_training_skips_training_on_hit_and_recovers_from_truncation(
    copy_data: Seq2SeqData, tmp_path: Path
) -> None:
    cache = ResultCache(tmp_path)
    make = factory(AttentionSeq2Seq, copy_data, score="dot", units=16)
    config = TrainConfig(epochs=2, seed=0)
    first_model, first = train(make, copy_data, config, verbose=0, cache=cache)
    assert (cache.hits, cache.misses) == (0, 1)
    second_model, second = train(make, copy_data, config, verbose=0, cache=cache)
    assert (cache.hits, cache.misses) == (1, 1)
    assert second.history == first.history
    x = copy_data.test.x[:16]
    np.testing.assert_array_equal(
        greedy_decode(first_model, x).token_ids, greedy_decode(second_model, x).token_ids
    )
    # A different budget is a different key: it trains again.
    train(make, copy_data, config.replace(epochs=1), verbose=0, cache=cache)
    assert cache.misses == 2
    # Truncate the stored model: the entry is detected as corrupt and retrained, not crashed on.
    for path in tmp_path.glob("*.keras"):
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.warns(UserWarning):
        _, again = train(make, copy_data, config, verbose=0, cache=cache)
    assert cache.corrupt >= 1
    assert again.history["val_exact_match"] == first.history["val_exact_match"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"epochs": 0}, "epochs must be a positive integer"),
        ({"epochs": 2, "batch_size": -4}, "batch_size must be a positive integer"),
        ({"epochs": 2, "learning_rate": 0.0}, "learning_rate must be a positive number"),
        ({"epochs": 2, "seed": -1}, "seed must be a non-negative integer"),
        ({"epochs": 2, "eval_examples": 0}, "eval_examples must be a positive integer"),
        ({"epochs": 2, "batch_size": 5000}, "larger than the training split"),
        ({"epochs": 2, "batch_sise": 32}, "unknown training setting"),
        ({"epochs": 2, "target_accuracy": 1.5}, "target_accuracy must be in"),
        ({"epochs": 2, "schedule": "linear"}, "unknown schedule 'linear'"),
        ({"epochs": 2, "warmup_epochs": 0.5}, "need schedule='cosine'"),
        ({"epochs": 2, "schedule": "cosine", "warmup_epochs": -1}, "warmup_epochs must be"),
        ({"epochs": 2, "schedule": "cosine", "decay_epochs": 0}, "decay_epochs must be"),
        (
            {"epochs": 2, "schedule": "cosine", "warmup_epochs": 2, "decay_epochs": 1},
            "must end before decay_epochs",
        ),
        ({"epochs": 2, "clipnorm": 0.0}, "clipnorm must be positive"),
    ],
)
def test_bad_budget(kwargs: dict, message: str, copy_data: Seq2SeqData) -> None:
    with pytest.raises(ValueError, match=message):
        train(factory(Seq2Seq, copy_data, units=8), copy_data, verbose=0, **kwargs)


def test_cosine_schedule_warms_up_peaks_and_decays_to_its_floor() -> None:
    assert learning_rate_schedule(3e-3, steps_per_epoch=10, epochs=4) == 3e-3
    schedule = learning_rate_schedule(
        1e-2, steps_per_epoch=100, epochs=10, schedule="cosine", warmup_epochs=0.5, decay_epochs=6
    )
    rate = {step: float(schedule(step)) for step in (0, 25, 50, 300, 600, 900)}
    assert rate[0] == pytest.approx(1e-3)  # warm-up starts at a tenth of the peak
    assert rate[0] < rate[25] < rate[50]
    assert rate[50] == pytest.approx(1e-2)  # the peak, at the end of the warm-up
    assert rate[50] > rate[300] > rate[600]
    assert rate[600] == pytest.approx(5e-4) == rate[900]  # 5 % floor from decay_epochs on
    no_warmup = learning_rate_schedule(1e-2, steps_per_epoch=10, epochs=3, schedule="cosine")
    assert float(no_warmup(0)) == pytest.approx(1e-2)
    assert float(no_warmup(30)) == pytest.approx(5e-4)
    with pytest.raises(ValueError, match="steps_per_epoch must be a positive integer"):
        learning_rate_schedule(1e-2, steps_per_epoch=0, epochs=3)
    with pytest.raises(ValueError, match="learning_rate must be positive"):
        learning_rate_schedule(-1.0, steps_per_epoch=10, epochs=3)


def test_cosine_recipe_trains_and_is_recorded(copy_data: Seq2SeqData) -> None:
    make = factory(AttentionSeq2Seq, copy_data, score="dot")
    _, history = train(
        make,
        copy_data,
        epochs=6,
        batch_size=32,
        learning_rate=1e-2,
        schedule="cosine",
        warmup_epochs=0.3,
        clipnorm=1.0,
        target_accuracy=0.95,
        verbose=0,
    )
    assert history.config["schedule"] == "cosine"
    assert history.config["clipnorm"] == 1.0
    assert history.reached_target  # seed 0 reaches 1.0 at epoch 4 (measured)


def test_model_and_data_must_agree(copy_data: Seq2SeqData) -> None:
    short = Seq2Seq(len(copy_data.source_vocab), len(copy_data.target_vocab), 3, 6, units=8)
    with pytest.raises(ValueError, match="model accepts 3"):
        train(short, copy_data, epochs=1, verbose=0)
    wrong_steps = Seq2Seq(len(copy_data.source_vocab), len(copy_data.target_vocab), 5, 4, units=8)
    with pytest.raises(ValueError, match="output steps"):
        train(wrong_steps, copy_data, epochs=1, verbose=0)


def test_metrics_validate_shapes() -> None:
    with pytest.raises(ValueError, match="same"):
        exact_match(np.zeros((2, 3)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="at least one"):
        exact_match(np.zeros((0, 3)), np.zeros((0, 3)))
    with pytest.raises(ValueError, match="non-padding"):
        char_accuracy(np.zeros((2, 3)), np.zeros((2, 3)))
    target = np.array([[5, 6, 2, 0], [5, 6, 2, 0]])
    predicted = np.array([[5, 6, 2, 9], [5, 7, 2, 0]])  # after END is ignored; a wrong digit is not
    assert exact_match(predicted, target) == 0.5
    assert char_accuracy(predicted, target) == pytest.approx(5 / 6)


def test_train_config_round_trips_and_rejects_unknown_fields() -> None:
    config = TrainConfig(epochs=3, batch_size=64, schedule="cosine", warmup_epochs=0.5, seed=2)
    assert TrainConfig.from_dict(config.to_dict()) == config
    assert config.replace(seed=5).seed == 5 and config.seed == 2  # frozen: replace copies
    with pytest.raises(ValueError, match=r"unknown training setting.*'lr'"):
        TrainConfig.from_dict({**config.to_dict(), "lr": 0.1})
    with pytest.raises(ValueError, match="unknown training setting"):
        config.replace(epoch=4)
    with pytest.raises(ValueError, match="expected a dict"):
        TrainConfig.from_dict([("epochs", 3)])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        TrainConfig(epochs=True)  # booleans are not counts


def test_cache_key_follows_every_setting(copy_data: Seq2SeqData, tmp_path: Path) -> None:
    """Each TrainConfig field reaches the cache key: changing any one of them misses the cache."""
    cache = ResultCache(tmp_path)
    make = factory(Seq2Seq, copy_data, units=8)
    base = TrainConfig(epochs=1, batch_size=256, seed=0)
    train(make, copy_data, base, verbose=0, cache=cache)
    changes = {
        "epochs": 2,
        "batch_size": 128,
        "learning_rate": 2e-3,
        "schedule": "cosine",
        "clipnorm": 1.0,
        "seed": 1,
        "target_accuracy": 0.5,
        "eval_examples": 50,
        "target_metric": "val_char_accuracy",
    }
    for misses, (name, value) in enumerate(changes.items(), start=2):
        train(make, copy_data, base.replace(**{name: value}), verbose=0, cache=cache)
        assert cache.misses == misses, f"changing {name} did not change the cache key"
    history = train(make, copy_data, base, verbose=0, cache=cache)[1]
    assert cache.hits == 1
    assert (
        TrainConfig.from_dict(
            {k: v for k, v in history.config.items() if k not in ("model", "model_config")}
        )
        == base
    )
    with pytest.raises(ValueError, match="needs a function that builds the model"):
        train(make(), copy_data, base, verbose=0, cache=cache)


def test_evaluation_uses_a_fixed_validation_subset(copy_data: Seq2SeqData) -> None:
    """eval_examples=k scores the first k validation examples: a multiple of 1/k each epoch."""
    _, history = train(
        factory(Seq2Seq, copy_data, units=8), copy_data, epochs=1, eval_examples=7, verbose=0
    )
    assert history.final("val_char_accuracy") * 7 * (LENGTH + 1) == pytest.approx(
        round(history.final("val_char_accuracy") * 7 * (LENGTH + 1))
    )
    assert history.final() * 7 == pytest.approx(round(history.final() * 7))


@pytest.mark.parametrize(
    ("cls", "kwargs"),
    [(Seq2Seq, {}), (AttentionSeq2Seq, {"score": "additive"}), (SimpleSeq2Seq, {})],
)
def test_reused_compiled_models_train_exactly_like_fresh_ones(cls, kwargs, copy_data) -> None:
    """A factory trains on a shared compiled copy: same history, same weights as compiling anew.

    The second seed reuses the copy the first one compiled (its optimizer reset to step 0); the
    result must equal training a model that was compiled for itself.
    """
    from attn_lib import training

    make = factory(cls, copy_data, units=16, **kwargs)
    config = TrainConfig(epochs=2, batch_size=64, learning_rate=5e-3, schedule="cosine")
    training._TRAINERS.clear()
    train(make, copy_data, config.replace(seed=3), verbose=0)  # compiles the shared copy
    assert len(training._TRAINERS.entries) == 1
    reused_model, reused = train(make, copy_data, config.replace(seed=4), verbose=0)
    assert len(training._TRAINERS.entries) == 1, "the second seed should reuse the copy"
    keras.utils.set_random_seed(4)
    own = make()  # a model instance is compiled and trained by itself
    own_model, alone = train(own, copy_data, config.replace(seed=4), verbose=0)
    assert own_model is own
    for metric in ("loss", "val_exact_match", "val_char_accuracy"):
        assert reused.history[metric] == alone.history[metric], metric
    for a, b in zip(reused_model.get_weights(), own_model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_target_metric_can_be_per_character(copy_data: Seq2SeqData) -> None:
    _, history = train(
        factory(AttentionSeq2Seq, copy_data, score="dot"),
        copy_data,
        epochs=20,
        batch_size=32,
        learning_rate=5e-3,
        seed=1,
        target_accuracy=0.6,
        target_metric="val_char_accuracy",
        verbose=0,
    )
    assert history.reached_target
    assert history.epochs == history.epochs_to(0.6, "val_char_accuracy")
    with pytest.raises(ValueError, match="target_metric must be one of"):
        TrainConfig(target_metric="accuracy")


def test_training_batches_reshuffle_every_epoch_without_the_autotuner(copy_data) -> None:
    """Full batches only, a new order each epoch, the same order for the same seed, and tf.data's
    autotuner off (it stalled some epoch boundaries for seconds; see `_training_batches`)."""
    from attn_lib.training import _training_batches

    config = TrainConfig(batch_size=64, seed=5)
    batches = _training_batches(copy_data.train, copy_data.input_length, config)
    assert batches.options().autotune.enabled is False

    def epoch(dataset) -> list[np.ndarray]:
        return [y.numpy() for (_, y) in dataset]

    first, second = epoch(batches), epoch(batches)
    steps = len(copy_data.train) // 64
    assert len(first) == len(second) == steps
    assert all(y.shape == (64, copy_data.output_length) for y in first + second)
    assert not all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    again = epoch(_training_batches(copy_data.train, copy_data.input_length, config))
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))


def test_training_batches_match_shuffling_the_examples_themselves(copy_data) -> None:
    """Shuffling indices and gathering a batch at once gives exactly the batches of shuffling
    whole examples with the same seed (the pipeline was made cheaper without changing a result)."""
    import tensorflow as tf

    from attn_lib.training import _training_batches

    split = copy_data.train
    for seed in (0, 7):
        config = TrainConfig(batch_size=32, seed=seed)
        ours = _training_batches(split, copy_data.input_length, config)
        examples = tf.data.Dataset.from_tensor_slices(((split.x, split.decoder_input), split.y))
        examples = examples.shuffle(len(split), seed=seed, reshuffle_each_iteration=True)
        examples = examples.batch(32, drop_remainder=True)
        for _ in range(2):  # two epochs: the reshuffle must agree too
            got, want = list(ours.as_numpy_iterator()), list(examples.as_numpy_iterator())
            assert len(got) == len(want) == len(split) // 32
            for ((x, d), y), ((x0, d0), y0) in zip(got, want, strict=True):
                assert np.array_equal(x, x0) and np.array_equal(d, d0) and np.array_equal(y, y0)


def test_seeding_keeps_tensorflows_global_seed_so_traced_functions_survive(
    copy_data: Seq2SeqData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs with different seeds do not touch TensorFlow's global seed (changing it clears the
    kernel cache, so every traced function would be rebuilt), yet each seed still decides the
    whole history, whatever seed the reader set before."""
    import tensorflow as tf

    from attn_lib.training import TF_GLOBAL_SEED

    make = factory(AttentionSeq2Seq, copy_data, score="dot", units=8)
    config = TrainConfig(epochs=2, batch_size=256, learning_rate=5e-3)

    def run(seed: int) -> dict[str, list[float]]:
        return train(make, copy_data, config.replace(seed=seed), verbose=0)[1].history

    keras.utils.set_random_seed(42)  # a reader's own seed: train() sets its global seed back
    first = run(1)
    assert tf.compat.v1.random.get_seed(1)[0] == TF_GLOBAL_SEED
    calls: list[int] = []
    real_set_seed = tf.random.set_seed
    monkeypatch.setattr(tf.random, "set_seed", lambda s: calls.append(s) or real_set_seed(s))
    other = run(2)
    again = run(1)
    assert calls == [], "train() changed TensorFlow's global seed between runs"
    keras.utils.set_random_seed(7)
    after_reader_seed = run(1)
    assert calls == [7, TF_GLOBAL_SEED]
    for metric in ("loss", "val_exact_match"):
        assert first[metric] == again[metric] == after_reader_seed[metric], metric
    assert first["loss"] != other["loss"], "two seeds gave the same history"


def test_seeding_without_keras_internals_falls_back_to_the_public_call(
    copy_data: Seq2SeqData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a Keras without the internals `_seed` uses, `train` seeds through
    ``keras.utils.set_random_seed`` and still gives the same history as the fast path."""
    import tensorflow as tf

    from attn_lib import training

    assert training._reset_keras_seed_generator(), "this Keras should take the fast path"
    make = factory(AttentionSeq2Seq, copy_data, score="dot", units=8)
    config = TrainConfig(epochs=2, batch_size=256, learning_rate=5e-3, seed=3)
    fast = train(make, copy_data, config, verbose=0)[1].history
    calls: list[int] = []
    real = keras.utils.set_random_seed
    monkeypatch.setattr(training, "_reset_keras_seed_generator", lambda: False)
    monkeypatch.setattr(keras.utils, "set_random_seed", lambda s: calls.append(s) or real(s))
    fallback = train(make, copy_data, config, verbose=0)[1].history
    assert calls == [3]
    assert tf.compat.v1.random.get_seed(1)[0] == training.TF_GLOBAL_SEED
    for metric in ("loss", "val_exact_match"):
        assert fallback[metric] == fast[metric], metric
