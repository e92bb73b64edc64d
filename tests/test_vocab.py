"""Tests for attn_lib.vocab.Vocab."""

from __future__ import annotations

import json

import numpy as np
import pytest

from attn_lib.vocab import Vocab, decoder_input_ids

DIGITS_PLUS = "0123456789+"


@pytest.fixture
def vocab() -> Vocab:
    return Vocab(DIGITS_PLUS)


def test_reserved_ids_come_first_then_sorted_chars(vocab: Vocab) -> None:
    assert (Vocab.PAD_ID, Vocab.START_ID, Vocab.END_ID) == (0, 1, 2)
    assert vocab.chars == tuple(sorted(DIGITS_PLUS))
    assert [vocab.id_of(char) for char in vocab.chars] == list(range(3, 3 + len(DIGITS_PLUS)))
    assert vocab.size == len(vocab) == 3 + len(DIGITS_PLUS)
    assert "+" in vocab and "x" not in vocab


def test_order_and_duplicates_do_not_change_ids(vocab: Vocab) -> None:
    shuffled = Vocab(list("+9876543210" + "0123"))
    assert shuffled == vocab
    assert hash(shuffled) == hash(vocab)
    assert shuffled.encode("12+3").tolist() == vocab.encode("12+3").tolist()
    assert Vocab("abc") != vocab
    assert vocab != "0123456789+"


def test_encode_pads_and_appends_end(vocab: Vocab) -> None:
    encoded = vocab.encode("12+3", length=7, add_end=True)
    assert encoded.dtype == np.int32
    assert encoded.shape == (7,)
    expected = [vocab.id_of(c) for c in "12+3"] + [Vocab.END_ID, Vocab.PAD_ID, Vocab.PAD_ID]
    assert encoded.tolist() == expected
    assert vocab.encode("12").tolist() == [vocab.id_of("1"), vocab.id_of("2")]
    assert vocab.encode("", length=3).tolist() == [Vocab.PAD_ID] * 3
    assert vocab.encode("9", length=1).tolist() == [vocab.id_of("9")]


def test_encode_unknown_character_names_char_and_position(vocab: Vocab) -> None:
    with pytest.raises(
        ValueError, match=r"unknown character 'x' at position 3 \(index 2\) in '12x4'"
    ):
        vocab.encode("12x4")


def test_encode_too_long_reports_both_lengths(vocab: Vocab) -> None:
    with pytest.raises(ValueError, match=r"needs 5 ids \(including END\) but length is 4"):
        vocab.encode("1234", length=4, add_end=True)
    with pytest.raises(ValueError, match=r"needs 4 ids but length is 3"):
        vocab.encode("1234", length=3)


@pytest.mark.parametrize(
    ("length", "error", "match"),
    [
        (-1, ValueError, "non-negative"),
        (2.0, ValueError, "must be an int"),
        (True, ValueError, "int"),
    ],
)
def test_encode_rejects_bad_length(vocab: Vocab, length: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        vocab.encode("1", length=length)  # type: ignore[arg-type]


def test_encode_rejects_non_str(vocab: Vocab) -> None:
    with pytest.raises(ValueError, match="text must be a str"):
        vocab.encode(123)  # type: ignore[arg-type]


def test_encode_batch_shape_and_rows(vocab: Vocab) -> None:
    batch = vocab.encode_batch(["1+2", "10+20", ""], length=6, add_end=True)
    assert batch.shape == (3, 6)
    assert batch.dtype == np.int32
    assert batch[2].tolist() == [Vocab.END_ID] + [Vocab.PAD_ID] * 5
    assert vocab.decode_batch(batch) == ["1+2", "10+20", ""]


def test_encode_batch_errors(vocab: Vocab) -> None:
    with pytest.raises(ValueError, match="texts is empty"):
        vocab.encode_batch([], length=3)
    with pytest.raises(ValueError, match="not a single str"):
        vocab.encode_batch("123", length=3)
    with pytest.raises(ValueError, match=r"row 1: unknown character 'a' at position 2"):
        vocab.encode_batch(["12", "1a"], length=3)
    with pytest.raises(ValueError, match=r"row 0: '1234' needs 4 ids but length is 3"):
        vocab.encode_batch(["1234"], length=3)


def test_decode_stops_at_end_and_skips_pad_and_start(vocab: Vocab) -> None:
    one, two = vocab.id_of("1"), vocab.id_of("2")
    ids = [Vocab.START_ID, one, Vocab.PAD_ID, two, Vocab.END_ID, one, one]
    assert vocab.decode(ids) == "12"
    assert vocab.decode(np.array(ids, dtype=np.int64)) == "12"
    assert vocab.decode([]) == ""
    assert vocab.decode([Vocab.END_ID, one]) == ""


def test_decode_errors(vocab: Vocab) -> None:
    with pytest.raises(ValueError, match=r"id 99 is outside this vocabulary's range \[0, 14\)"):
        vocab.decode([3, 99])
    with pytest.raises(ValueError, match="id -1 is outside"):
        vocab.decode([-1])
    with pytest.raises(ValueError, match="1-D"):
        vocab.decode([[3, 4]])
    with pytest.raises(ValueError, match="integers"):
        vocab.decode([3.5])
    with pytest.raises(ValueError, match="2-D"):
        vocab.decode_batch([3, 4])


def test_round_trip_random_strings(vocab: Vocab) -> None:
    rng = np.random.default_rng(0)
    texts = ["".join(rng.choice(list(DIGITS_PLUS), size=rng.integers(0, 9))) for _ in range(200)]
    assert vocab.decode_batch(vocab.encode_batch(texts, length=10, add_end=True)) == texts
    for text in texts:
        assert vocab.decode(vocab.encode(text)) == text


def test_tokens_labels_special_ids_and_trims_padding(vocab: Vocab) -> None:
    ids = vocab.encode("1+2", length=6, add_end=True)
    assert vocab.tokens(ids) == ["1", "+", "2", "</s>", "<pad>", "<pad>"]
    assert vocab.tokens(ids, trim_padding=True) == ["1", "+", "2", "</s>"]
    assert vocab.tokens([Vocab.START_ID, vocab.id_of("7")]) == ["<s>", "7"]
    assert vocab.tokens([Vocab.PAD_ID, Vocab.PAD_ID], trim_padding=True) == []


def test_config_round_trip_is_json_able(vocab: Vocab) -> None:
    config = json.loads(json.dumps(vocab.get_config()))
    assert config == {"chars": "+0123456789"}
    assert Vocab.from_config(config) == vocab
    korean = Vocab("년월일 0123")
    assert Vocab.from_config(json.loads(json.dumps(korean.get_config()))) == korean


def test_repr_shows_chars_and_size(vocab: Vocab) -> None:
    assert repr(vocab) == "Vocab('+0123456789', size=14)"


@pytest.mark.parametrize(
    ("chars", "error", "match"),
    [
        ("", ValueError, "at least one character"),
        ([], ValueError, "at least one character"),
        (["a", "bc"], ValueError, r"exactly one character; element 1 is 'bc' \(2 characters\)"),
        (["a", ""], ValueError, "exactly one character"),
        (["<pad>"], ValueError, "reserved token"),
        (["a", "</s>"], ValueError, "reserved token"),
        (["a", 1], ValueError, "element 1 is int"),
    ],
)
def test_constructor_rejects_bad_chars(chars: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        Vocab(chars)  # type: ignore[arg-type]


# ------------------------------------------------------------------ word vocabularies
@pytest.fixture
def words() -> Vocab:
    return Vocab(["철수가", "책을", "읽었다", "어제"], level="word")


def test_word_vocab_splits_at_whitespace_and_joins_with_one_space(words: Vocab) -> None:
    assert words.level == "word"
    assert words.chars == tuple(sorted(["철수가", "책을", "읽었다", "어제"]))
    ids = words.encode("어제  철수가 책을 읽었다", length=6, add_end=True)
    assert ids.tolist()[:5] == [words.id_of(w) for w in ["어제", "철수가", "책을", "읽었다"]] + [2]
    assert words.decode(ids) == "어제 철수가 책을 읽었다"
    assert words.tokens(ids, trim_padding=True) == ["어제", "철수가", "책을", "읽었다", "</s>"]
    assert words.split("책을 읽었다") == ["책을", "읽었다"]
    assert words.join(["책을", "읽었다"]) == "책을 읽었다"


def test_word_vocab_config_round_trip_and_differs_from_char_vocab(words: Vocab) -> None:
    config = json.loads(json.dumps(words.get_config()))
    assert Vocab.from_config(config) == words
    assert Vocab(["a", "b"], level="word") != Vocab("ab")
    assert Vocab("ab").get_config() == {"chars": "ab"}  # character cache keys are unchanged
    assert "level='word'" in repr(words)


def test_word_vocab_unknown_word_is_named(words: Vocab) -> None:
    with pytest.raises(ValueError, match=r"unknown word '먹었다' at position 3"):
        words.encode("철수가 책을 먹었다")
    with pytest.raises(ValueError, match="unknown word"):
        words.id_of("사과를")


@pytest.mark.parametrize(
    ("tokens", "level", "match"),
    [
        ("책을 읽었다", "word", "not one str"),
        (["책을 읽었다"], "word", "free of whitespace"),
        ([""], "word", "non-empty"),
        (["<s>"], "word", "reserved"),
        ([], "word", "at least one word"),
        (["ab"], "char", "exactly one character"),
        ("ab", "syllable", "level must be one of"),
    ],
)
def test_bad_vocabularies_raise_value_error(tokens: object, level: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        Vocab(tokens, level=level)  # type: ignore[arg-type]


def test_decoder_input_ids_shifts_right_behind_start() -> None:
    ids = np.array([[5, 6, 2, 0], [7, 2, 0, 0]])
    assert decoder_input_ids(ids).tolist() == [[1, 5, 6, 2], [1, 7, 2, 0]]
    assert decoder_input_ids(ids).dtype == np.int32
    with pytest.raises(ValueError, match="2-D array of integer ids"):
        decoder_input_ids(np.array([5, 6, 2]))
    with pytest.raises(ValueError, match="2-D array of integer ids"):
        decoder_input_ids(np.array([[0.5, 1.0]]))
