"""TransformerSeq2Seq: shapes, masks, exact greedy decoding, saving, training and bad input."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from attn_lib import TrainConfig, Vocab, addition_task, greedy_decode, train
from attn_lib.transformer import TransformerSeq2Seq


@pytest.fixture(scope="module")
def data():
    return addition_task(2, 300, reverse=True, seed=0)


def make(data, **kwargs) -> TransformerSeq2Seq:
    keras.utils.set_random_seed(0)
    sizes = (len(data.source_vocab), len(data.target_vocab), data.input_length, data.output_length)
    return TransformerSeq2Seq(*sizes, **{"units": 16, "num_heads": 2, **kwargs})


def shifted(ids: np.ndarray) -> np.ndarray:
    """START followed by ``ids`` without the last column: the decoder input of a greedy run."""
    start = np.full((len(ids), 1), Vocab.START_ID, dtype="int32")
    return np.concatenate([start, ids[:, :-1]], axis=1).astype("int32")


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("num_layers", [1, 2])
def test_shapes_and_masked_attention(data, norm_first, num_layers):
    model = make(data, norm_first=norm_first, num_layers=num_layers)
    x, d = data.test.x[:8], data.test.decoder_input[:8]
    logits, attention = model.call_with_attention((x, d))
    logits, attention = keras.ops.convert_to_numpy(logits), keras.ops.convert_to_numpy(attention)
    assert logits.shape == (8, data.output_length, len(data.target_vocab))
    assert attention.shape == (8, data.output_length, x.shape[1])
    np.testing.assert_allclose(attention.sum(-1), 1.0, atol=1e-5)
    pad = np.broadcast_to((x == 0)[:, None, :], attention.shape)
    assert pad.any() and np.all(attention[pad] == 0)
    heads = model.cross_attention(x, d)
    assert heads.shape == (8, num_layers, 2, data.output_length, x.shape[1])
    np.testing.assert_allclose(heads[:, -1].mean(axis=1), attention, atol=1e-6)


def test_decoder_is_causal(data):
    model = make(data)
    x, d = data.test.x[:8], data.test.decoder_input[:8].copy()
    before = keras.ops.convert_to_numpy(model((x, d)))
    d[:, 2:] = (d[:, 2:] + 1) % len(data.target_vocab)
    after = keras.ops.convert_to_numpy(model((x, d)))
    np.testing.assert_array_equal(before[:, :2], after[:, :2])
    assert not np.allclose(before[:, 2:], after[:, 2:])


def assert_greedy_is_teacher_forced_argmax(model: TransformerSeq2Seq, x: np.ndarray) -> None:
    result = greedy_decode(model, x)
    logits, attention = model.call_with_attention((x, shifted(result.token_ids)))
    np.testing.assert_array_equal(
        np.argmax(keras.ops.convert_to_numpy(logits), -1), result.token_ids
    )
    np.testing.assert_allclose(keras.ops.convert_to_numpy(attention), result.attention, atol=1e-6)


@pytest.mark.parametrize("num_layers", [1, 2])
def test_greedy_equals_teacher_forced_argmax_on_its_own_prefix(data, num_layers):
    assert_greedy_is_teacher_forced_argmax(make(data, num_layers=num_layers), data.test.x)


def test_trained_model_lowers_the_loss_and_decodes_exactly(data):
    trained, history = train(
        lambda: make(data, num_layers=2),
        data,
        TrainConfig(epochs=2, batch_size=32, learning_rate=5e-3, seed=0),
        verbose=0,
    )
    losses = history.history["loss"]
    assert losses[-1] < losses[0]
    assert_greedy_is_teacher_forced_argmax(trained, data.test.x)


def test_decode_step_on_teacher_tokens_gives_the_rows_of_the_full_call(data):
    model = make(data, num_layers=2)
    x, d = data.test.x[:16], data.test.decoder_input[:16]
    logits, attention = model.call_with_attention((x, d))
    state = model.start_decoding(x)
    for t in range(data.output_length):
        step_logits, step_attention, state = model.decode_step(d[:, t], state)
        np.testing.assert_allclose(step_logits, logits[:, t], atol=1e-5)
        np.testing.assert_allclose(step_attention, attention[:, t], atol=1e-6)
    with pytest.raises(ValueError, match="only"):
        model.decode_step(d[:, 0], state)


def test_save_load_and_config_roundtrip(data, tmp_path):
    model = make(data, num_layers=2, norm_first=True, ff_units=24)
    path = tmp_path / "transformer.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    x, d = data.test.x[:8], data.test.decoder_input[:8]
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(model((x, d))), keras.ops.convert_to_numpy(loaded((x, d)))
    )
    clone = TransformerSeq2Seq.from_config(model.get_config())
    assert clone.count_params() == model.count_params()
    assert model.get_config()["ff_units"] == 24


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"units": 15, "num_heads": 2}, "must divide"),
        ({"units": 0}, "units"),
        ({"num_heads": 0}, "num_heads"),
        ({"ff_units": -3}, "ff_units"),
        ({"num_layers": 0}, "num_layers"),
        ({"dropout": 1.0}, "dropout"),
        ({"dropout": True}, "dropout"),
        ({"norm_first": 1}, "norm_first"),
    ],
)
def test_bad_constructor_arguments(data, kwargs, message):
    with pytest.raises(ValueError, match=message):
        make(data, **kwargs)


def test_bad_inputs(data):
    model = make(data)
    x, d = data.test.x[:4], data.test.decoder_input[:4]
    with pytest.raises(ValueError, match="expects inputs"):
        model(x)
    with pytest.raises(ValueError, match="decoder tokens"):
        model((x, d[:, :-1]))
    with pytest.raises(ValueError, match="encoder tokens"):
        model.cross_attention(np.ones((4, data.input_length + 1), "int32"), d)


def test_beam_search_runs_on_the_transformer(data) -> None:
    """The Transformer's decoder state holds a scalar step counter next to per-example tensors:
    beam search shares the scalar across beams, width 1 equals greedy decoding, and wider beams
    come back sorted, each with an attention row per output position."""
    from attn_lib import beam_search

    model = make(data)
    x = data.test.x[:6]
    greedy = greedy_decode(model, x)
    one = beam_search(model, x, beam_width=1, alpha=0.0)
    assert np.array_equal(one.best_ids, greedy.token_ids)
    three = beam_search(model, x, beam_width=3, alpha=0.0)
    assert three.token_ids.shape == (len(x), 3, data.output_length)
    assert np.all(np.diff(three.scores, axis=1) <= 1e-6)
    assert three.attention.shape == (len(x), data.output_length, x.shape[1])
    assert np.all(three.log_probs[:, 0] >= one.log_probs[:, 0] - 1e-5)
