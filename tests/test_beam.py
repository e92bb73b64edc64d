"""Beam search: width 1 is greedy decoding, beams are sorted, scores are real log-probabilities."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from attn_lib.beam import BeamResult, beam_search, length_penalty
from attn_lib.decoding import greedy_decode
from attn_lib.models import AttentionSeq2Seq, Seq2Seq
from attn_lib.tasks import memorization_task
from attn_lib.training import train
from attn_lib.vocab import Vocab

CASES = [
    (Seq2Seq, {}),
    (AttentionSeq2Seq, {"score": "additive", "bidirectional": True}),
    (AttentionSeq2Seq, {"score": "dot", "num_layers": 2}),
]


@pytest.fixture(scope="module")
def data():
    # Variable lengths, so END comes at different steps and padding is masked.
    return memorization_task(6, 400, mode="reverse", min_length=2, seed=0)


@pytest.fixture(scope="module")
def trained(data):
    """One short-trained model per case (two epochs: confident but imperfect predictions)."""
    sizes = (len(data.source_vocab), len(data.target_vocab), data.input_length, data.output_length)
    models = {}
    for cls, kwargs in CASES:
        model, _ = train(
            lambda cls=cls, kwargs=kwargs: cls(*sizes, units=16, **kwargs),
            data,
            epochs=2,
            batch_size=32,
            learning_rate=5e-3,
            verbose=0,
        )
        models[(cls.__name__, tuple(kwargs.items()))] = model
    return list(models.values())


def sequence_log_prob(model, x: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """log P(ids | x) up to and including the first END, from one teacher-forced pass."""
    fed = np.concatenate([np.full((len(x), 1), Vocab.START_ID, "int32"), ids[:, :-1]], axis=1)
    logits = keras.ops.convert_to_numpy(model((x, fed)))
    shifted = logits.astype("float64") - logits.max(-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
    picked = np.take_along_axis(log_probs, ids[..., None], axis=-1)[..., 0]
    is_end = ids == Vocab.END_ID
    first_end = np.where(is_end.any(1), is_end.argmax(1), ids.shape[1] - 1)
    keep = np.arange(ids.shape[1])[None, :] <= first_end[:, None]
    return (picked * keep).sum(axis=1)


def test_width_one_is_greedy_decoding(trained, data) -> None:
    """Same ids at every position (also after END), same attention, same log-probability."""
    for model in trained:
        x = data.test.x
        greedy = greedy_decode(model, x)
        beam = beam_search(model, x, beam_width=1, alpha=0.0)
        np.testing.assert_array_equal(beam.best_ids, greedy.token_ids)
        if greedy.attention is None:
            assert beam.attention is None
        else:
            np.testing.assert_allclose(beam.attention, greedy.attention, atol=1e-6)
        np.testing.assert_allclose(
            beam.log_probs[:, 0], sequence_log_prob(model, x, greedy.token_ids), atol=1e-3
        )


def test_beams_are_sorted_and_scores_are_log_probabilities(trained, data) -> None:
    x = data.test.x
    for model in trained:
        for alpha in (0.0, 0.6, 2.0):
            beam = beam_search(model, x, beam_width=3, alpha=alpha)
            assert beam.token_ids.shape == (len(x), 3, data.output_length)
            assert np.all(np.diff(beam.scores, axis=1) <= 1e-9)
            np.testing.assert_allclose(
                beam.scores, beam.log_probs / length_penalty(beam.lengths, alpha)
            )
            for k in range(3):  # every beam's log-probability is that of its own tokens
                ids = beam.token_ids[:, k]
                np.testing.assert_allclose(
                    beam.log_probs[:, k], sequence_log_prob(model, x, ids), atol=1e-3
                )
                ends = [
                    list(row).index(Vocab.END_ID) + 1 if Vocab.END_ID in row else len(row)
                    for row in ids
                ]
                np.testing.assert_array_equal(beam.lengths[:, k], ends)


def test_alpha_only_reorders_the_same_survivors(trained, data) -> None:
    """The search keeps K candidates by summed log-probability; alpha ranks them only at the end.

    Chapter 11 relies on this: it searches once and reads the alpha=0 answer from the
    survivors of the alpha=0.6 search.
    """
    x = data.test.x
    rows = np.arange(len(x))
    for model in trained:
        plain = beam_search(model, x, beam_width=3, alpha=0.0)
        for alpha in (0.6, 2.0):
            normed = beam_search(model, x, beam_width=3, alpha=alpha)
            for i in rows:  # the same K candidates with the same log-probabilities
                assert sorted(map(tuple, plain.token_ids[i])) == sorted(
                    map(tuple, normed.token_ids[i])
                )
                np.testing.assert_allclose(
                    np.sort(plain.log_probs[i]), np.sort(normed.log_probs[i]), atol=1e-5
                )
            reranked = normed.token_ids[rows, normed.log_probs.argmax(axis=1)]
            np.testing.assert_array_equal(reranked, plain.best_ids)


def test_best_beam_is_at_least_as_likely_as_greedy(trained, data) -> None:
    """Not a theorem for beam search in general, but it holds on these trained models."""
    x = data.test.x
    for model in trained:
        greedy = beam_search(model, x, beam_width=1, alpha=0.0)
        beam = beam_search(model, x, beam_width=4, alpha=0.0)
        assert np.all(beam.log_probs[:, 0] >= greedy.log_probs[:, 0] - 1e-4)
        assert len(set(map(tuple, beam.token_ids[0]))) == 4  # distinct hypotheses


def test_batches_agree_and_short_inputs_are_padded(trained, data) -> None:
    model = trained[1]
    x = data.test.x[:, :4]  # narrower than input_length: padded like greedy_decode
    whole = beam_search(model, x, beam_width=3)
    pieces = beam_search(model, x, beam_width=3, batch_size=7)
    np.testing.assert_array_equal(whole.token_ids, pieces.token_ids)
    np.testing.assert_allclose(whole.scores, pieces.scores, atol=1e-5)
    assert whole.attention.shape == (len(x), data.output_length, 4)


class BigramModel:
    """A hand-made decoder whose next-token distribution depends only on the previous token.

    Ids: PAD 0, START 1, END 2, a 3, b 4. From START: a 0.6, b 0.4. After a the decoder is unsure
    (END 0.4, a 0.3, b 0.3); after b it is sure (END 0.95). Greedy takes a then END:
    0.6 * 0.4 = 0.24. The beam keeps b and finds b END: 0.4 * 0.95 = 0.38.
    """

    input_length = 2
    output_length = 3
    target_vocab_size = 5

    def __init__(self) -> None:
        table = np.full((5, 5), 1e-6)
        table[Vocab.START_ID, 3:] = [0.6, 0.4]
        table[3, [Vocab.END_ID, 3, 4]] = [0.4, 0.3, 0.3]
        table[4, [Vocab.END_ID, 3, 4]] = [0.95, 0.025, 0.025]
        table[[Vocab.PAD_ID, Vocab.END_ID], Vocab.END_ID] = 1.0
        self.log_table = keras.ops.convert_to_tensor(np.log(table), dtype="float32")

    def start_decoding(self, encoder_tokens):
        return {"source": encoder_tokens}

    def decode_step(self, previous_tokens, state):
        return keras.ops.take(self.log_table, previous_tokens, axis=0), None, state


def test_beam_fixes_a_greedy_mistake_on_a_hand_made_decoder() -> None:
    model = BigramModel()
    x = np.ones((2, 2), "int32")
    assert greedy_decode(model, x).token_ids[0].tolist() == [3, Vocab.END_ID, Vocab.END_ID]
    beam = beam_search(model, x, beam_width=2, alpha=0.0)
    assert beam.best_ids[0].tolist() == [4, Vocab.END_ID, Vocab.END_ID]
    np.testing.assert_allclose(np.exp(beam.log_probs[0]), [0.38, 0.24], rtol=1e-4)
    assert beam.lengths[0].tolist() == [2, 2]
    assert beam.attention is None and beam.texts is None


def test_length_normalisation_prefers_the_longer_hypothesis() -> None:
    """a END (0.24, 2 tokens) against a a END... : alpha decides; alpha 0 is the raw sum."""
    model = BigramModel()
    x = np.ones((1, 2), "int32")
    raw = beam_search(model, x, beam_width=5, alpha=0.0)
    assert np.all(np.diff(raw.log_probs[0]) <= 0)
    strong = beam_search(model, x, beam_width=5, alpha=20.0)
    assert strong.lengths[0, 0] > raw.lengths[0, 0]
    assert isinstance(strong, BeamResult) and strong.alpha == 20.0


def test_texts_use_the_vocabulary(trained, data) -> None:
    beam = beam_search(trained[0], data.test.x[:5], beam_width=2, vocab=data.target_vocab)
    assert beam.texts == data.target_vocab.decode_batch(beam.best_ids)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"beam_width": 0}, "beam_width must be a positive integer"),
        ({"beam_width": True}, "beam_width must be a positive integer"),
        ({"beam_width": 2.0}, "beam_width must be a positive integer"),
        ({"beam_width": 6}, "exceeds the target vocabulary size"),
        ({"alpha": -0.5}, "alpha must be finite and zero or positive"),
        ({"alpha": float("nan")}, "alpha must be finite and zero or positive"),
        ({"alpha": "0.6"}, "alpha must be a number"),
        ({"batch_size": 0}, "batch_size must be a positive integer"),
    ],
)
def test_bad_arguments_raise(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        beam_search(BigramModel(), np.ones((1, 2), "int32"), **kwargs)


@pytest.mark.parametrize(
    ("model", "tokens", "message"),
    [
        (object(), np.ones((1, 2), "int32"), "expected an attn_lib seq2seq model"),
        (BigramModel(), np.ones(2, "int32"), "non-empty"),
        (BigramModel(), np.ones((0, 2), "int32"), "non-empty"),
        (BigramModel(), np.ones((1, 2)), "integer token ids"),
        (BigramModel(), np.ones((1, 3), "int32"), "exceed the model's maximum input length"),
    ],
)
def test_bad_inputs_raise(model, tokens, message) -> None:
    with pytest.raises(ValueError, match=message):
        beam_search(model, tokens)


def test_length_penalty_checks_its_inputs() -> None:
    np.testing.assert_allclose(length_penalty([1, 7], 1.0), [1.0, 2.0])
    np.testing.assert_allclose(length_penalty([3], 0.0), [1.0])
    with pytest.raises(ValueError, match="lengths must be at least 1"):
        length_penalty([0, 2], 0.6)
    with pytest.raises(ValueError, match="alpha must be finite"):
        length_penalty([2], float("inf"))
