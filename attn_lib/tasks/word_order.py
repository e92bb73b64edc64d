"""Korean -> English sentences from a small grammar: a translation-like task whose words cross.

Korean puts the verb last (subject-object-verb, with particles marking the roles); English puts it
second (subject-verb-object). A generated pair such as

    어제 철수가 공원에서 책을 읽었다   ->   Cheolsu read a book in the park yesterday

needs an alignment that crosses: the English verb (2nd word) comes from the Korean's last word,
and the Korean's first word (the time) lands at the English end. The generator knows which Korean
word every English word translates, and stores it in `Split.alignment`.

Tokens are words (`Vocab(level="word")`): Korean 어절 (noun + particle, or a conjugated verb) and
English words. Both sides are grammatical: particles follow the noun's final consonant (이/가,
은/는, 을/를; 나 + 가 = 내가), English verbs agree with the subject (does / do, eats / eat) and
articles with the next sound (a book, an apple).
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np

from attn_lib.tasks.containers import (
    Seq2SeqData,
    assemble_splits,
    split_sizes,
    transform_names,
)
from attn_lib.validation import check_bool, check_int, check_seed
from attn_lib.vocab import Vocab

__all__ = [
    "WORD_ORDER_OBJECTS",
    "WORD_ORDER_PLACES",
    "WORD_ORDER_SUBJECTS",
    "WORD_ORDER_TIMES",
    "WORD_ORDER_VERBS",
    "word_order_task",
]

#: Subjects: Korean noun, English noun phrase, person/number ("1sg", "1pl", "3sg", "3pl").
WORD_ORDER_SUBJECTS: tuple[tuple[str, str, str], ...] = (
    ("철수", "Cheolsu", "3sg"),
    ("영희", "Younghee", "3sg"),
    ("민준", "Minjun", "3sg"),
    ("지민", "Jimin", "3sg"),
    ("선생님", "the teacher", "3sg"),
    ("학생", "the student", "3sg"),
    ("의사", "the doctor", "3sg"),
    ("아이", "the child", "3sg"),
    ("아이들", "the children", "3pl"),
    ("학생들", "the students", "3pl"),
    ("나", "I", "1sg"),
    ("우리", "we", "1pl"),
)

#: Objects: Korean noun -> English noun phrase (article included where English needs one).
WORD_ORDER_OBJECTS: dict[str, str] = {
    "사과": "an apple",
    "빵": "bread",
    "밥": "rice",
    "케이크": "a cake",
    "달걀": "an egg",
    "물": "water",
    "우유": "milk",
    "커피": "coffee",
    "주스": "juice",
    "책": "a book",
    "신문": "the newspaper",
    "편지": "a letter",
    "소설": "a novel",
    "일기": "a diary",
    "우산": "an umbrella",
    "꽃": "flowers",
    "영화": "a movie",
    "뉴스": "the news",
}


@dataclass(frozen=True)
class _Verb:
    present: str  # Korean plain present (해라체): 먹는다
    past: str  # 먹었다
    base: str  # eat
    third: str  # eats
    preterite: str  # ate
    objects: tuple[str, ...]


#: Verbs with their conjugations, written out (no rules to get wrong), and the objects they take.
WORD_ORDER_VERBS: tuple[_Verb, ...] = (
    _Verb("먹는다", "먹었다", "eat", "eats", "ate", ("사과", "빵", "밥", "케이크", "달걀")),
    _Verb("마신다", "마셨다", "drink", "drinks", "drank", ("물", "우유", "커피", "주스")),
    _Verb("읽는다", "읽었다", "read", "reads", "read", ("책", "신문", "편지", "소설")),
    _Verb("쓴다", "썼다", "write", "writes", "wrote", ("편지", "소설", "일기")),
    _Verb("산다", "샀다", "buy", "buys", "bought", ("사과", "빵", "책", "우산", "꽃")),
    _Verb("만든다", "만들었다", "make", "makes", "made", ("빵", "케이크", "커피")),
    _Verb("본다", "봤다", "watch", "watches", "watched", ("영화", "뉴스")),
)

#: Places: Korean word (noun + 에서) -> English prepositional phrase.
WORD_ORDER_PLACES: dict[str, str] = {
    "집에서": "at home",
    "학교에서": "at school",
    "공원에서": "in the park",
    "도서관에서": "at the library",
    "카페에서": "at the cafe",
    "식당에서": "at the restaurant",
}

#: Times: Korean word -> (English phrase, tenses it goes with).
WORD_ORDER_TIMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "어제": ("yesterday", ("past",)),
    "오늘": ("today", ("past",)),
    "매일": ("every day", ("present",)),
    "아침에": ("in the morning", ("past", "present")),
}

_TENSES = ("past", "present")
_VERSION = 1


@dataclass(frozen=True)
class _Meaning:
    subject: int
    verb: int
    obj: str
    tense: str
    negated: bool
    time: str | None
    place: str | None


def word_order_task(
    n_samples: int = 6000,
    *,
    reverse_input: bool = False,
    val_fraction: float = 0.1,
    test_fraction: float = 0.1,
    seed: int = 0,
) -> Seq2SeqData:
    """Korean -> English sentences whose word order differs (SOV -> SVO), with gold alignments.

    Each example is a different English sentence (a meaning: subject, verb, object, tense,
    negation, time, place), so no English sentence appears in two splits. Where two meanings
    read the same in English ("I read a book" is present or past), only the first in the
    grammar's order is used. The Korean side varies its surface form too: the
    subject takes 이/가 or the topic particle 은/는, and a time word comes before or after the
    subject.

    Args:
        n_samples: Number of distinct sentence pairs over the three splits.
        reverse_input: Feed the Korean words in reverse order (chapter 3's trick, by word).
        val_fraction, test_fraction: Fractions held out for validation and test.
        seed: Seed of `np.random.default_rng` (which meanings, which surface forms, the order).

    Returns:
        `Seq2SeqData` named ``"word_order"`` with word vocabularies on both sides. Each split's
        `alignment` gives, for every English word, the index of the Korean word it translates
        (in the encoder's order, so reversed when `reverse_input` is on); `kinds` is
        ``"past"``, ``"past-neg"``, ``"present"`` or ``"present-neg"``.

    Raises:
        ValueError: for an argument of the wrong type or value, or more samples than meanings.

    Example:
        >>> data = word_order_task(200, seed=0)
        >>> data.source_vocab.level, data.input_length, data.output_length
        ('word', 6, 14)
    """
    n_samples = check_int("n_samples", n_samples)
    check_bool("reverse_input", reverse_input)
    seed = check_seed(seed)
    counts = split_sizes(n_samples, val_fraction, test_fraction)
    meanings = _distinct_meanings()
    if n_samples > len(meanings):
        raise ValueError(
            f"n_samples={n_samples} is more than the {len(meanings)} distinct English sentences "
            f"the grammar can write; use n_samples <= {len(meanings)}"
        )
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(meanings), size=n_samples, replace=False)
    queries, targets, alignment, kinds = [], [], [], []
    for index in chosen.tolist():
        meaning = meanings[index]
        topic = bool(rng.integers(2))
        time_first = bool(rng.integers(2))
        korean, english, links = _render(meaning, topic=topic, time_first=time_first)
        if reverse_input:
            links = [len(korean) - 1 - link for link in links]
        queries.append(" ".join(korean))
        targets.append(" ".join(english))
        alignment.append(tuple(links))
        kinds.append(meaning.tense + ("-neg" if meaning.negated else ""))

    source_vocab, target_vocab = _vocabularies()
    config = {
        "task": "word_order",
        "version": _VERSION,
        "n_samples": n_samples,
        "reverse_input": reverse_input,
        "val_fraction": float(val_fraction),
        "test_fraction": float(test_fraction),
        "seed": seed,
    }
    return assemble_splits(
        name="word_order",
        config=config,
        queries=queries,
        targets=targets,
        counts=counts,
        transforms=transform_names(reverse=reverse_input, double=False),
        source_vocab=source_vocab,
        target_vocab=target_vocab,
        input_length=_INPUT_LENGTH,
        output_length=_OUTPUT_LENGTH,
        kinds=kinds,
        alignment=alignment,
    )


# ----------------------------------------------------------------------------- the grammar
@functools.cache
def _distinct_meanings() -> tuple[_Meaning, ...]:
    """The meanings with distinct English sentences, in the grammar's order."""
    seen: set[str] = set()
    kept = []
    for meaning in _all_meanings():
        english = " ".join(_render(meaning, topic=False, time_first=False)[1])
        if english not in seen:
            seen.add(english)
            kept.append(meaning)
    return tuple(kept)


def _all_meanings() -> list[_Meaning]:
    """Every meaning the grammar can express, in a fixed order."""
    meanings = []
    for subject, (verb_index, verb) in itertools.product(
        range(len(WORD_ORDER_SUBJECTS)), enumerate(WORD_ORDER_VERBS)
    ):
        for obj, tense, negated in itertools.product(verb.objects, _TENSES, (False, True)):
            times = [None] + [t for t, (_, tenses) in WORD_ORDER_TIMES.items() if tense in tenses]
            for time, place in itertools.product(times, [None, *WORD_ORDER_PLACES]):
                meanings.append(_Meaning(subject, verb_index, obj, tense, negated, time, place))
    return meanings


def _has_final_consonant(noun: str) -> bool:
    """True when the noun's last Hangul syllable ends in a consonant (받침)."""
    return (ord(noun[-1]) - 0xAC00) % 28 != 0


def _with_particle(noun: str, after_consonant: str, after_vowel: str) -> str:
    if noun == "나" and after_vowel == "가":
        return "내가"  # 나 + 가 is written 내가
    return noun + (after_consonant if _has_final_consonant(noun) else after_vowel)


def _render(
    meaning: _Meaning, *, topic: bool, time_first: bool
) -> tuple[list[str], list[str], list[int]]:
    """(Korean words, English words, for each English word the index of its Korean word)."""
    ko_subject, en_subject, person = WORD_ORDER_SUBJECTS[meaning.subject]
    verb = WORD_ORDER_VERBS[meaning.verb]
    korean: list[tuple[str, str]] = []  # (role, word)
    subject_word = (
        _with_particle(ko_subject, "은", "는") if topic else _with_particle(ko_subject, "이", "가")
    )
    if meaning.time and time_first:
        korean.append(("time", meaning.time))
    korean.append(("subject", subject_word))
    if meaning.time and not time_first:
        korean.append(("time", meaning.time))
    if meaning.place:
        korean.append(("place", meaning.place))
    korean.append(("object", _with_particle(meaning.obj, "을", "를")))
    if meaning.negated:
        korean.append(("negation", "안"))
    korean.append(("verb", verb.past if meaning.tense == "past" else verb.present))

    english: list[tuple[str, str]] = [("subject", word) for word in en_subject.split()]
    third_singular = person == "3sg"
    if meaning.negated:
        auxiliary = "did" if meaning.tense == "past" else ("does" if third_singular else "do")
        english += [("verb", auxiliary), ("negation", "not"), ("verb", verb.base)]
    elif meaning.tense == "past":
        english.append(("verb", verb.preterite))
    else:
        english.append(("verb", verb.third if third_singular else verb.base))
    english += [("object", word) for word in WORD_ORDER_OBJECTS[meaning.obj].split()]
    if meaning.place:
        english += [("place", word) for word in WORD_ORDER_PLACES[meaning.place].split()]
    if meaning.time:
        english += [("time", word) for word in WORD_ORDER_TIMES[meaning.time][0].split()]
    first_role, first_word = english[0]
    english[0] = (first_role, first_word[0].upper() + first_word[1:])

    position = {role: index for index, (role, _) in enumerate(korean)}
    return (
        [word for _, word in korean],
        [word for _, word in english],
        [position[role] for role, _ in english],
    )


def _vocabularies() -> tuple[Vocab, Vocab]:
    """Word vocabularies of every word the grammar can write (not only the sampled ones)."""
    source: set[str] = {"안", *WORD_ORDER_PLACES, *WORD_ORDER_TIMES}
    target: set[str] = {"did", "does", "do", "not"}
    for ko_subject, en_subject, _ in WORD_ORDER_SUBJECTS:
        source |= {_with_particle(ko_subject, a, b) for a, b in (("은", "는"), ("이", "가"))}
        words = en_subject.split()
        target |= {*words, words[0][0].upper() + words[0][1:]}
    for verb in WORD_ORDER_VERBS:
        source |= {verb.present, verb.past}
        target |= {verb.base, verb.third, verb.preterite}
    source |= {_with_particle(obj, "을", "를") for obj in WORD_ORDER_OBJECTS}
    for phrase in [*WORD_ORDER_OBJECTS.values(), *WORD_ORDER_PLACES.values()]:
        target |= set(phrase.split())
    for phrase, _ in WORD_ORDER_TIMES.values():
        target |= set(phrase.split())
    return Vocab(sorted(source), level="word"), Vocab(sorted(target), level="word")


_INPUT_LENGTH = 6  # time, subject, place, object, 안, verb
_OUTPUT_LENGTH = 14  # "The children do not make a cake at the restaurant in the morning" + END
