"""Step-by-step greedy decoding equals the teacher-forced pass on its own predictions."""

from __future__ import annotations

import logging

import keras
import numpy as np
import pytest

from attn_lib.decoding import greedy_decode
from attn_lib.models import AttentionSeq2Seq, Seq2Seq, SimpleSeq2Seq
from attn_lib.tasks import memorization_task
from attn_lib.training import train

CASES = [
    (SimpleSeq2Seq, {}),
    (Seq2Seq, {}),
    (Seq2Seq, {"peek": True, "num_layers": 2}),
    (AttentionSeq2Seq, {"score": "additive"}),
    (AttentionSeq2Seq, {"score": "dot"}),
    (AttentionSeq2Seq, {"score": "general", "bidirectional": True}),
    (AttentionSeq2Seq, {"score": "additive", "num_layers": 2, "bidirectional": True}),
]


@pytest.fixture(scope="module")
def data():
    # Variable lengths, so padding and masking are exercised.
    return memorization_task(7, 500, mode="reverse", min_length=3, seed=0)


@pytest.mark.parametrize(("cls", "kwargs"), CASES, ids=lambda v: getattr(v, "__name__", str(v)))
def test_greedy_steps_match_the_full_teacher_forced_pass(cls, kwargs, data) -> None:
    """Feeding the greedy tokens back through ``call_with_attention`` reproduces every step.

    The step API (``start_decoding``/``decode_step``) carries the LSTM state; the full pass
    re-runs the whole sequence. Same argmax at every step, same attention rows: the step version
    is exact, not an approximation. Two epochs of training make the predictions non-trivial.
    """
    sizes = (len(data.source_vocab), len(data.target_vocab), data.input_length, data.output_length)
    model, _ = train(
        lambda: cls(*sizes, units=16, **kwargs),
        data,
        epochs=2,
        batch_size=32,
        learning_rate=5e-3,
        verbose=0,
    )
    x = data.test.x
    decoded = greedy_decode(model, x)
    fed_back = np.concatenate([np.ones((len(x), 1), "int32"), decoded.token_ids[:, :-1]], axis=1)
    logits, attention = model.call_with_attention((x, fed_back))
    np.testing.assert_array_equal(
        np.argmax(keras.ops.convert_to_numpy(logits), axis=-1), decoded.token_ids
    )
    if attention is None:
        assert decoded.attention is None
    else:
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(attention), decoded.attention, atol=1e-5
        )
        assert decoded.attention.shape == (len(x), data.output_length, data.input_length)


def test_shorter_inputs_are_padded_and_batches_agree(data) -> None:
    sizes = (len(data.source_vocab), len(data.target_vocab), data.input_length, data.output_length)
    keras.utils.set_random_seed(0)
    model = AttentionSeq2Seq(*sizes, units=8, score="dot")
    x = data.test.x[:, :5]
    whole = greedy_decode(model, x, batch_size=1024)
    pieces = greedy_decode(model, x, batch_size=7)
    np.testing.assert_array_equal(whole.token_ids, pieces.token_ids)
    np.testing.assert_allclose(whole.attention, pieces.attention, atol=1e-6)
    assert whole.attention.shape[-1] == 5
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        greedy_decode(model, x, batch_size=0)
    with pytest.raises(ValueError, match="expected an attn_lib seq2seq model"):
        greedy_decode(keras.Sequential([keras.layers.Dense(2)]), x)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.mark.slow
def test_decoding_many_models_in_one_process_prints_no_retracing_warning(data) -> None:
    # Each model's greedy loop is traced once, but TensorFlow counts traces per code object, so
    # the sixth model used to print "... triggered tf.function retracing" into the chapter.
    records = _Records()
    logger = logging.getLogger("tensorflow")
    logger.addHandler(records)
    try:
        for seed in range(7):
            keras.utils.set_random_seed(seed)
            model = Seq2Seq(
                len(data.source_vocab), len(data.target_vocab), data.input_length,
                data.output_length, units=8, embedding_dim=4,
            )  # fmt: skip
            greedy_decode(model, data.test.x[:5])
            greedy_decode(model, data.test.x[:3])
    finally:
        logger.removeHandler(records)
    assert not [m for m in records.messages if "retracing" in m], records.messages
    assert logger.level != logging.ERROR  # the warning is hidden only while a loop runs


def test_decoding_loops_are_traced_without_autograph(data) -> None:
    """The greedy and beam loops are plain Python over a fixed number of steps: tracing them
    with autograph only re-read the source of every layer they call (about 1 s on the first
    decoding in each process, paid by every chapter)."""
    if keras.backend.backend() != "tensorflow":
        pytest.skip("tf.function only on the TensorFlow backend")
    from attn_lib.beam import _compiled_search
    from attn_lib.decoding import _compiled_loop

    model = AttentionSeq2Seq(
        len(data.source_vocab), len(data.target_vocab), data.input_length, data.output_length
    )
    assert _compiled_loop(model)._autograph is False
    assert _compiled_search(model, 2)._autograph is False


def test_decoding_loops_trace_two_steps_whatever_the_output_length(data) -> None:
    """Greedy and beam decoding run their steps after the first in a while loop, so tracing
    calls ``decode_step`` twice (the first step, the loop body) instead of once per output
    position: the traces of chapter 11's beam searches took half the time or less."""
    if keras.backend.backend() != "tensorflow":
        pytest.skip("tf.function only on the TensorFlow backend")
    from attn_lib.beam import beam_search

    assert data.output_length >= 5
    model = AttentionSeq2Seq(
        len(data.source_vocab), len(data.target_vocab), data.input_length, data.output_length
    )
    calls = []
    step = model.decode_step

    def counted(tokens, state):
        calls.append(1)
        return step(tokens, state)

    object.__setattr__(model, "decode_step", counted)
    greedy_decode(model, data.test.x[:8])
    greedy_decode(model, data.test.x[:3])  # another batch size: no new trace
    assert len(calls) == 2
    beam_search(model, data.test.x[:8], beam_width=3)
    assert len(calls) == 4
