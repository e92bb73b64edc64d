"""Tests for attn_lib.tasks.word_order: grammatical Korean and English, alignments, splits."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from attn_lib import word_order_task
from attn_lib.tasks.word_order import (
    WORD_ORDER_OBJECTS,
    WORD_ORDER_PLACES,
    WORD_ORDER_SUBJECTS,
    WORD_ORDER_TIMES,
    WORD_ORDER_VERBS,
)


@pytest.fixture(scope="module")
def data():
    return word_order_task(3000, seed=3)


def _examples(data):
    for split in data.splits.values():
        yield from zip(split.queries, split.targets, split.alignment, split.kinds, strict=True)


def _final_consonant(syllable: str) -> bool:
    code = ord(syllable) - 0xAC00
    assert 0 <= code < 11172, f"{syllable!r} is not a Hangul syllable"
    return code % 28 != 0


SUBJECT_BY_KOREAN = {ko: (en, person) for ko, en, person in WORD_ORDER_SUBJECTS}


def _split_particle(word: str, pairs: dict[str, str]) -> tuple[str, str]:
    """(noun, particle) for a word ending in one of `pairs`' particles."""
    if word == "내가":
        return "나", "가"
    for particle in pairs:
        noun = word[: -len(particle)]
        if word.endswith(particle) and noun in SUBJECT_BY_KOREAN | WORD_ORDER_OBJECTS:
            return noun, particle
    raise AssertionError(f"{word!r} does not end in one of {list(pairs)}")


def test_particles_follow_the_final_consonant(data) -> None:
    consonant_form = {"이": True, "가": False, "은": True, "는": False, "을": True, "를": False}
    seen = set()
    for korean, _, _, _ in _examples(data):
        words = korean.split()
        subject = next(w for w in words if _split_particle_or_none(w, "이가은는"))
        obj = next(w for w in words if w[-1] in "을를" and w != subject)
        for word, particles in ((subject, "이가은는"), (obj, "을를")):
            noun, particle = _split_particle(word, dict.fromkeys(particles))
            seen.add(particle)
            if word == "내가":
                continue
            assert _final_consonant(noun[-1]) == consonant_form[particle], word
    assert seen == set("이가은는을를")


def _split_particle_or_none(word: str, particles: str) -> bool:
    try:
        _split_particle(word, dict.fromkeys(particles))
    except AssertionError:
        return False
    return True


def test_korean_puts_the_verb_last_and_english_second_or_after_not(data) -> None:
    korean_verbs = {v.present for v in WORD_ORDER_VERBS} | {v.past for v in WORD_ORDER_VERBS}
    for korean, english, links, kind in _examples(data):
        words = korean.split()
        assert words[-1] in korean_verbs
        assert ("안" in words) == kind.endswith("-neg")
        if "안" in words:
            assert words[-2] == "안"
        en = english.split()
        assert en[0][0].isupper()
        # the English verb aligns with the Korean verb (the last word): the crossing
        verb_position = 2 if en[0] in ("The",) else 1
        assert links[verb_position] == len(words) - 1


def test_english_agreement_and_articles(data) -> None:
    third = {v.third for v in WORD_ORDER_VERBS}
    base = {v.base for v in WORD_ORDER_VERBS}
    preterite = {v.preterite for v in WORD_ORDER_VERBS}
    persons = {en.split()[-1].lower(): person for _, en, person in WORD_ORDER_SUBJECTS}
    for _, english, _, kind in _examples(data):
        words = english.split()
        subject_end = 1 if words[0] == "The" else 0
        person = persons[words[subject_end].lower()]
        verb_words = words[subject_end + 1 :]
        if kind == "present":
            assert verb_words[0] in (third if person == "3sg" else base), english
        elif kind == "past":
            assert verb_words[0] in preterite
        else:
            auxiliary = {"past-neg": "did", "present-neg": "does" if person == "3sg" else "do"}
            assert verb_words[:3] == [auxiliary[kind], "not", verb_words[2]]
            assert verb_words[2] in base
        for article, noun in itertools.pairwise(words):
            if article in ("a", "an"):
                assert (article == "an") == (noun[0] in "aeiou"), english


def test_alignment_points_at_the_words_that_translate(data) -> None:
    """Every English word's link names the Korean word of the same role."""
    place_words = {w for phrase in WORD_ORDER_PLACES.values() for w in phrase.split()}
    for korean, english, links, _ in _examples(data):
        words = korean.split()
        en = english.split()
        assert len(links) == len(en)
        for en_word, link in zip(en, links, strict=True):
            assert 0 <= link < len(words)
            ko_word = words[link]
            if en_word == "not":
                assert ko_word == "안"
            if en_word in ("yesterday", "today"):
                assert ko_word == {"yesterday": "어제", "today": "오늘"}[en_word]
            if ko_word in WORD_ORDER_PLACES:
                assert en_word in place_words
        # each Korean word is the source of at least one English word
        assert set(links) == set(range(len(words)))


def test_time_words_fit_the_tense(data) -> None:
    for korean, _, _, kind in _examples(data):
        for word in korean.split():
            if word in WORD_ORDER_TIMES:
                assert kind.split("-")[0] in WORD_ORDER_TIMES[word][1], korean


def test_splits_are_disjoint_by_english_sentence_and_korean(data) -> None:
    english = [set(split.targets) for split in data.splits.values()]
    korean = [set(split.queries) for split in data.splits.values()]
    for sets in (english, korean):
        assert sum(len(s) for s in sets) == 3000
        assert len(set.union(*sets)) == 3000


def test_word_tokens_and_lengths(data) -> None:
    assert data.source_vocab.level == data.target_vocab.level == "word"
    assert (data.input_length, data.output_length) == (6, 14)
    first = data.train
    assert first.x.shape == (len(first), 6)
    assert data.source_vocab.decode(first.x[0]) == first.inputs[0]
    assert data.target_vocab.decode(first.y[0]) == first.targets[0]
    # the encoder can read a fresh sentence typed by a reader
    ids = data.encode_inputs("어제 내가 도서관에서 책을 읽었다")
    assert data.source_vocab.decode(ids[0]) == "어제 내가 도서관에서 책을 읽었다"


def test_same_seed_same_data_and_different_seed_differs() -> None:
    a, b = word_order_task(300, seed=1), word_order_task(300, seed=1)
    assert a.train.queries == b.train.queries and a.fingerprint() == b.fingerprint()
    c = word_order_task(300, seed=2)
    assert c.train.queries != a.train.queries and c.fingerprint() != a.fingerprint()


def test_reverse_input_reverses_words_and_their_links() -> None:
    plain = word_order_task(200, seed=5)
    flipped = word_order_task(200, seed=5, reverse_input=True)
    assert flipped.train.queries == plain.train.queries
    for query, inputs, links, plain_links in zip(
        plain.train.queries,
        flipped.train.inputs,
        flipped.train.alignment,
        plain.train.alignment,
        strict=True,
    ):
        words = query.split()
        assert inputs.split() == words[::-1]
        assert list(links) == [len(words) - 1 - link for link in plain_links]
    assert flipped.transform_query("어제 내가 책을 읽었다") == "읽었다 책을 내가 어제"
    assert not np.array_equal(flipped.train.x, plain.train.x)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_samples": 0}, "n_samples"),
        ({"n_samples": 2.5}, "n_samples"),
        ({"n_samples": 10**6}, "distinct English sentences"),
        ({"n_samples": 100, "reverse_input": "yes"}, "reverse_input"),
        ({"n_samples": 100, "seed": -1}, "seed"),
        ({"n_samples": 100, "val_fraction": 0.6, "test_fraction": 0.5}, "val_fraction"),
        ({"n_samples": 3, "val_fraction": 0.1}, "empty"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        word_order_task(**kwargs)
