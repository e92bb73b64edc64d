"""Model families: shapes, masking of padding, save/load, and input validation."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from attn_lib.decoding import greedy_decode
from attn_lib.models import (
    AttentionDense,
    AttentionLSTM,
    AttentionSeq2Seq,
    Seq2Seq,
    SimpleSeq2Seq,
)

SOURCE_VOCAB, TARGET_VOCAB, TX, TY = 14, 12, 7, 5

SEQ2SEQ_FAMILIES = {
    "simple": (SimpleSeq2Seq, {}),
    "seq2seq": (Seq2Seq, {}),
    "peek": (Seq2Seq, {"peek": True}),
    "additive": (AttentionSeq2Seq, {"score": "additive"}),
    "dot": (AttentionSeq2Seq, {"score": "dot"}),
    "general": (AttentionSeq2Seq, {"score": "general"}),
    "additive-bi-2": (
        AttentionSeq2Seq,
        {"score": "additive", "bidirectional": True, "num_layers": 2},
    ),
    "dot-bi-2": (AttentionSeq2Seq, {"score": "dot", "bidirectional": True, "num_layers": 2}),
}
ATTENTION_FAMILIES = [k for k, (cls, _) in SEQ2SEQ_FAMILIES.items() if cls is AttentionSeq2Seq]


def make(name: str, **overrides: object) -> keras.Model:
    cls, kwargs = SEQ2SEQ_FAMILIES[name]
    keras.utils.set_random_seed(0)
    return cls(SOURCE_VOCAB, TARGET_VOCAB, TX, TY, units=16, **{**kwargs, **overrides})


@pytest.fixture(scope="module")
def batch() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    encoder = rng.integers(3, SOURCE_VOCAB, size=(4, TX)).astype("int32")
    lengths = np.array([7, 5, 3, 1])
    for row, length in enumerate(lengths):
        encoder[row, length:] = 0
    decoder = rng.integers(1, TARGET_VOCAB, size=(4, TY)).astype("int32")
    return encoder, decoder


@pytest.mark.parametrize("name", list(SEQ2SEQ_FAMILIES))
def test_logits_shape(name: str, batch: tuple[np.ndarray, np.ndarray]) -> None:
    logits = make(name)(batch)
    assert tuple(logits.shape) == (4, TY, TARGET_VOCAB)


@pytest.mark.parametrize("name", ATTENTION_FAMILIES)
def test_attention_rows_sum_to_one_and_skip_padding(
    name: str, batch: tuple[np.ndarray, np.ndarray]
) -> None:
    encoder, _ = batch
    _, weights = make(name).call_with_attention(batch)
    weights = keras.ops.convert_to_numpy(weights)
    assert weights.shape == (4, TY, TX)
    real = encoder != 0
    for row in range(len(encoder)):
        np.testing.assert_allclose(weights[row][:, real[row]].sum(axis=-1), 1.0, atol=1e-5)
        assert np.all(weights[row][:, ~real[row]] == 0.0)


@pytest.mark.parametrize("name", ATTENTION_FAMILIES[:3])
def test_padding_does_not_change_the_output(name: str) -> None:
    """Extra padding (or garbage after it being masked) must not move the prediction."""
    model = make(name)
    rng = np.random.default_rng(1)
    short = rng.integers(3, SOURCE_VOCAB, size=(2, 4)).astype("int32")
    padded = np.pad(short, ((0, 0), (0, TX - 4)))
    decoder = np.ones((2, TY), dtype="int32")
    a = keras.ops.convert_to_numpy(model((short, decoder)))
    b = keras.ops.convert_to_numpy(model((padded, decoder)))
    np.testing.assert_allclose(a, b, atol=1e-5)


def test_models_without_attention_return_none(batch: tuple[np.ndarray, np.ndarray]) -> None:
    for name in ("simple", "seq2seq", "peek"):
        assert make(name).call_with_attention(batch)[1] is None


def test_simple_seq2seq_ignores_decoder_tokens(batch: tuple[np.ndarray, np.ndarray]) -> None:
    model = make("simple")
    encoder, decoder = batch
    a = keras.ops.convert_to_numpy(model((encoder, decoder)))
    b = keras.ops.convert_to_numpy(model((encoder, np.zeros_like(decoder))))
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", list(SEQ2SEQ_FAMILIES))
def test_keras_save_load_round_trip(
    name: str, batch: tuple[np.ndarray, np.ndarray], tmp_path: object
) -> None:
    model = make(name)
    path = f"{tmp_path}/model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded) is type(model)
    assert loaded.get_config() == model.get_config()
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(model(batch)), keras.ops.convert_to_numpy(loaded(batch))
    )
    encoder, _ = batch
    first = greedy_decode(model, encoder)
    second = greedy_decode(loaded, encoder)
    np.testing.assert_array_equal(first.token_ids, second.token_ids)


@pytest.mark.parametrize(
    ("cls", "kwargs", "x"),
    [
        (AttentionLSTM, {"time_steps": 10, "features": 3, "position": "before"}, (5, 10, 3)),
        (AttentionLSTM, {"time_steps": 10, "features": 3, "position": "after"}, (5, 10, 3)),
        (
            AttentionLSTM,
            {"time_steps": 10, "features": 3, "single_attention_vector": True},
            (5, 10, 3),
        ),
        (AttentionDense, {"features": 8}, (5, 8)),
    ],
)
def test_classifiers_weights_and_round_trip(
    cls: type, kwargs: dict, x: tuple[int, ...], tmp_path: object
) -> None:
    keras.utils.set_random_seed(0)
    model = cls(**kwargs)
    inputs = np.random.default_rng(0).normal(size=x).astype("float32")
    probabilities = keras.ops.convert_to_numpy(model(inputs))
    assert probabilities.shape == (5, 1)
    assert np.all((probabilities > 0) & (probabilities < 1))
    weights = model.attention_weights(inputs)
    if cls is AttentionDense:
        assert weights.shape == (5, 8)
        np.testing.assert_allclose(weights.sum(axis=-1), 1.0, atol=1e-5)
    else:
        assert weights.shape[:2] == (5, 10)
        np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-5)  # over time
        if kwargs.get("single_attention_vector"):
            np.testing.assert_allclose(weights, weights[..., :1].repeat(weights.shape[2], -1))
    path = f"{tmp_path}/model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_array_equal(probabilities, keras.ops.convert_to_numpy(loaded(inputs)))


def test_unknown_score_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown attention score 'cosine'"):
        AttentionSeq2Seq(SOURCE_VOCAB, TARGET_VOCAB, TX, TY, score="cosine")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"units": 0}, "units must be a positive integer"),
        ({"num_layers": -1}, "num_layers must be a positive integer"),
        ({"units": 15, "bidirectional": True}, "even number of units"),
    ],
)
def test_bad_model_config(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AttentionSeq2Seq(SOURCE_VOCAB, TARGET_VOCAB, TX, TY, **kwargs)


def test_input_longer_than_model_maximum(batch: tuple[np.ndarray, np.ndarray]) -> None:
    model = make("dot")
    too_long = np.ones((2, TX + 3), dtype="int32")
    with pytest.raises(ValueError, match=f"<= {TX}"):
        model((too_long, np.ones((2, TY), dtype="int32")))
    with pytest.raises(ValueError, match="exceed the model's maximum input length"):
        greedy_decode(model, too_long)


def test_wrong_decoder_length_and_input_structure(batch: tuple[np.ndarray, np.ndarray]) -> None:
    model = make("additive")
    encoder, _ = batch
    with pytest.raises(ValueError, match=f"decoder tokens must have shape \\(batch, {TY}\\)"):
        model((encoder, np.ones((4, TY + 1), dtype="int32")))
    with pytest.raises(ValueError, match="expects inputs \\(encoder_tokens, decoder_tokens\\)"):
        model(encoder)


def test_wrong_feature_dimension() -> None:
    model = AttentionLSTM(time_steps=10, features=3)
    with pytest.raises(ValueError, match="expects inputs \\(batch, 10, 3\\), got \\(2, 10, 4\\)"):
        model.attention_weights(np.zeros((2, 10, 4), dtype="float32"))
    dense = AttentionDense(features=8)
    with pytest.raises(ValueError, match="expects inputs \\(batch, 8\\), got \\(2, 9\\)"):
        dense.attention_weights(np.zeros((2, 9), dtype="float32"))
    with pytest.raises(ValueError, match="position must be 'before' or 'after'"):
        AttentionLSTM(time_steps=10, features=3, position="middle")


def test_greedy_decode_validates_tokens() -> None:
    model = make("dot")
    with pytest.raises(ValueError, match="non-empty"):
        greedy_decode(model, np.zeros((0, TX), dtype="int32"))
    with pytest.raises(ValueError, match="integer token ids"):
        greedy_decode(model, np.zeros((2, TX), dtype="float32"))
