"""Tests for attn_lib.tasks.text_pairs_task: a task from the reader's own string pairs."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest

from attn_lib.tasks import Seq2SeqData, pairs, text_pairs_task
from attn_lib.vocab import Vocab


def reversal_pairs(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """`n` distinct "abc" -> "cba" pairs over a-h, 3 to 6 letters long."""
    rng = np.random.default_rng(seed)
    words: dict[str, None] = {}
    while len(words) < n:
        length = int(rng.integers(3, 7))
        words.setdefault("".join(rng.choice(list("abcdefgh"), size=length)))
    return [(word, word[::-1]) for word in words]


@pytest.fixture(scope="module")
def reader_pairs() -> list[tuple[str, str]]:
    return reversal_pairs(300)


@pytest.fixture(scope="module")
def data(reader_pairs: list[tuple[str, str]]) -> Seq2SeqData:
    return text_pairs_task(reader_pairs, seed=1)


def split_inputs(data: Seq2SeqData) -> list[set[str]]:
    return [set(split.queries) for split in data.splits.values()]


# ---------------------------------------------------------------------- what it builds
def test_splits_are_disjoint_and_cover_every_pair(
    data: Seq2SeqData, reader_pairs: list[tuple[str, str]]
) -> None:
    assert (len(data.train), len(data.val), len(data.test)) == (240, 30, 30)
    train, val, test = split_inputs(data)
    assert not train & val and not train & test and not val & test
    answers = dict(reader_pairs)
    seen = [
        (query, target)
        for split in data.splits.values()
        for query, target in zip(split.queries, split.targets, strict=True)
    ]
    assert sorted(seen) == sorted(reader_pairs)
    assert all(answers[query] == target for query, target in seen)


def test_vocabularies_lengths_and_data_contract(data: Seq2SeqData) -> None:
    assert data.name == "pairs"
    assert data.source_vocab == Vocab("abcdefgh") == data.target_vocab
    assert (data.input_length, data.output_length) == (6, 7)
    for split in data.splits.values():
        assert split.x.dtype == np.int32 and split.y.dtype == np.int32
        assert split.inputs == split.queries  # no transform asked for
        assert data.source_vocab.decode_batch(split.x) == split.inputs
        assert data.target_vocab.decode_batch(split.y) == split.targets
        ends = (split.y == Vocab.END_ID).argmax(axis=1)
        np.testing.assert_array_equal(ends, [len(t) for t in split.targets])
        np.testing.assert_array_equal(split.decoder_input[:, 0], Vocab.START_ID)
    np.testing.assert_array_equal(data.encode_inputs(data.test.queries), data.test.x)


def test_vocabularies_come_from_the_reader_text() -> None:
    data = text_pairs_task(
        [("하나", "1"), ("둘", "2"), ("셋", "3"), ("넷", "4"), ("다섯", "5")],
        val_fraction=0.2,
        test_fraction=0.2,
        name="korean numbers",
    )
    assert data.source_vocab.chars == tuple(sorted("하나둘셋넷다섯"))
    assert data.target_vocab.chars == tuple("12345")
    assert (data.input_length, data.output_length) == (2, 2)
    assert data.name == "korean numbers"


def test_seeded_split_repeats_and_the_seed_changes_it(
    reader_pairs: list[tuple[str, str]], data: Seq2SeqData
) -> None:
    again = text_pairs_task(reader_pairs, seed=1)
    assert again.train.queries == data.train.queries
    np.testing.assert_array_equal(again.test.x, data.test.x)
    assert again.fingerprint() == data.fingerprint()
    other = text_pairs_task(reader_pairs, seed=2)
    assert other.train.queries != data.train.queries
    assert other.fingerprint() != data.fingerprint()


def test_fingerprint_follows_the_pairs(reader_pairs: list[tuple[str, str]]) -> None:
    base = text_pairs_task(reader_pairs)
    last_input, last_output = reader_pairs[-1]
    changed = [*reader_pairs[:-1], (last_input, last_output + "a")]
    assert text_pairs_task(changed).fingerprint() != base.fingerprint()
    assert base.config["n_pairs"] == base.config["n_distinct"] == 300
    assert len(base.config["pairs_sha256"]) == 64


def test_a_dict_works_like_its_items(reader_pairs: list[tuple[str, str]]) -> None:
    from_dict = text_pairs_task(dict(reader_pairs), seed=3)
    from_list = text_pairs_task(reader_pairs, seed=3)
    assert from_dict.fingerprint() == from_list.fingerprint()
    assert from_dict.train.queries == from_list.train.queries


def test_repeated_pairs_are_kept_once_and_never_cross_splits(
    reader_pairs: list[tuple[str, str]],
) -> None:
    repeated = reader_pairs + reader_pairs[:100] + [list(pair) for pair in reader_pairs[:50]]
    data = text_pairs_task(repeated, seed=4)
    assert (data.config["n_pairs"], data.config["n_distinct"]) == (450, 300)
    assert sum(len(split) for split in data.splits.values()) == 300
    train, val, test = split_inputs(data)
    assert not train & val and not train & test and not val & test
    assert len(train | val | test) == 300


def test_input_transforms(reader_pairs: list[tuple[str, str]]) -> None:
    data = text_pairs_task(reader_pairs, reverse_input=True, double_input=True)
    assert data.input_transforms == ("reverse", "double")
    assert data.input_length == 12
    query, target = data.train.queries[0], data.train.targets[0]
    assert data.train.inputs[0] == query[::-1] * 2
    assert target == query[::-1]  # the output is never transformed
    np.testing.assert_array_equal(data.encode_inputs(query)[0], data.train.x[0])


def test_docstring_example_runs() -> None:
    result = doctest.testmod(pairs, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


# ---------------------------------------------------------------------- bad input
BAD_PAIRS = [
    ("empty list", [], "pairs is empty"),
    ("empty dict", {}, "pairs is empty"),
    ("a string", "abc", "pairs must be a list of .* pairs or a dict, got str"),
    ("a number", 3, "pairs must be a list .* got int 3"),
    ("one string per pair", ["ab", "cd"], r"pair 0 is 'ab'; each pair must be two strings"),
    ("three items", [("a", "b", "c")], r"pair 0 is \('a', 'b', 'c'\); each pair must be two"),
    ("one item", [("a", "b"), ("c",)], r"pair 1 is \('c',\); each pair must be two strings"),
    ("int output", [("a", "b"), ("c", 3)], "pair 1 has a int output 3; .* must be str"),
    ("bytes input", [(b"a", "b")], "pair 0 has a bytes input b'a'; .* must be str"),
    ("None output", [("a", None)], "pair 0 has a NoneType output None"),
    ("empty input", [("a", "b"), ("", "c")], "pair 1 has an empty input"),
    ("empty output", [("a", "")], "pair 0 has an empty output"),
    ("START in output", [("ab", "<s>ba")], r"pair 0's output '<s>ba' contains '<s>'.*START"),
    ("END in output", [("ab", "ba</s>")], r"pair 0's output 'ba</s>' contains '</s>'.*END"),
    ("PAD in input", [("a", "b"), ("x<pad>", "y")], r"pair 1's input .* contains '<pad>'.*PAD"),
    (
        "one input, two outputs",
        [("ab", "ba"), ("cd", "dc"), ("ab", "xx")],
        r"input 'ab' has two outputs: 'ba' \(pair 0\) and 'xx' \(pair 2\); each input needs "
        r"exactly one output",
    ),
]


@pytest.mark.parametrize(
    ("pairs_arg", "message"),
    [case[1:] for case in BAD_PAIRS],
    ids=[case[0] for case in BAD_PAIRS],
)
def test_bad_pairs_are_named(pairs_arg: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        text_pairs_task(pairs_arg)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, r"5 distinct pair\(s\) with val_fraction=0.1 .* leaves the validation split empty"),
        ({"val_fraction": 0.3, "test_fraction": 0.1}, "leaves the test split empty"),
        ({"val_fraction": 0.5, "test_fraction": 0.5}, "val_fraction \\+ test_fraction must be < 1"),
        ({"val_fraction": 0.0}, r"val_fraction must be in \(0, 1\), got 0.0"),
        ({"test_fraction": math.nan}, r"test_fraction must be in \(0, 1\), got nan"),
        ({"seed": -1}, "seed must be >= 0, got -1"),
        ({"seed": 1.5}, "seed must be an int, got float 1.5"),
        ({"name": ""}, "name must be a non-empty str, got ''"),
        ({"reverse_input": "yes"}, "reverse_input must be True or False, got 'yes'"),
        ({"double_input": 1}, "double_input must be True or False, got 1"),
    ],
)
def test_bad_settings_are_named(kwargs: dict, message: str) -> None:
    five = [("a", "1"), ("b", "2"), ("c", "3"), ("d", "4"), ("e", "5")]
    with pytest.raises(ValueError, match=message):
        text_pairs_task(five, **kwargs)


def test_duplicates_that_shrink_the_data_are_counted_before_the_split() -> None:
    """Ten copies of three pairs are three distinct pairs: too few for three splits at 10%."""
    with pytest.raises(ValueError, match=r"3 distinct pair\(s\) with .* leaves the validation"):
        text_pairs_task([("a", "1"), ("b", "2"), ("c", "3")] * 10)


# ---------------------------------------------------------------------- through the public API
def test_reader_pairs_train_through_the_public_api(reader_pairs: list[tuple[str, str]]) -> None:
    """A reader's own pairs go straight into the book's model and training call.

    (The only function here that calls `train`; adapt it when `train`'s signature changes.)
    """
    from attn_lib import AttentionSeq2Seq, greedy_decode, train
    from attn_lib import text_pairs_task as public_text_pairs_task

    data = public_text_pairs_task(reader_pairs, seed=0)

    def build() -> AttentionSeq2Seq:
        return AttentionSeq2Seq(
            source_vocab_size=data.source_vocab.size,
            target_vocab_size=data.target_vocab.size,
            input_length=data.input_length,
            output_length=data.output_length,
            units=32,
        )

    model, history = train(build, data, epochs=2, batch_size=32, seed=0, verbose=0)
    assert history.epochs == 2
    losses = history.history["loss"]
    assert all(math.isfinite(loss) for loss in losses) and losses[1] < losses[0]
    assert 0.0 <= history.final("val_char_accuracy") <= 1.0
    decoded = greedy_decode(model, data.test.x, vocab=data.target_vocab)
    assert decoded.token_ids.shape == (len(data.test), data.output_length)
    assert decoded.attention is not None
    assert decoded.attention.shape == (len(data.test), data.output_length, data.input_length)
