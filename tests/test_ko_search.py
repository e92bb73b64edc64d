"""The Korean search language (book/_ext/ko_search.py): normaliser, Python/JS agreement, index.

The agreement test runs the JavaScript that Sphinx ships in language_data.js under node
(``/usr/bin/node`` or ``ATTN_BOOK_NODE``); the index test builds the mini book of
tests/data/ko_search_book (a few seconds, no ``make quick`` needed).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from tests.ko_search_helpers import load_ko_search

ko = load_ko_search()

SEED = 20240607
# Syllables of real nouns of the book that occur in no suffix, so no suffix can reach into them.
_BOOK_NOUNS = """벡터 병목 정렬 문맥 학습 모델 상태 출력 인코더
어텐션 가중치 시퀀스 토큰 임베딩 히트맵 점수 층"""
NOUN_SYLLABLES = sorted(set("".join(_BOOK_NOUNS.split())) - set("".join(ko.SUFFIXES)))
EDGE_CASES = [
    "",
    "벡터",
    "는",
    "들",
    "이다",
    "에서는",
    "값을",
    "값이",
    "x를",
    "h의",
    "ㄱ",
    "ㄱ를",
    "s",
    "is",
    "as",
    "LSTM",
    "LSTMs",
    "RNN이라는",
    "seq2seq",
    "seq2seq를",
    "softmax는",
    "Attention",
    "attention을",
    "3자리",
    "3자리를",
    "2024년의",
    "h_t를",
    "_",
    "naïve",
    "𝑥s",
    "𝑥𝑦s",
    "ﬁne",
    "İstanbul",
    unicodedata.normalize("NFD", "벡터를"),
    unicodedata.normalize("NFD", "정렬"),
    "그리고",
    "하지만",
    "것을",
    "수를",
    "THE",
]


def _random_syllable(rng: random.Random) -> str:
    return chr(0xAC00 + rng.randrange(11172))


def _generated_words(count: int = 400) -> list[str]:
    """Random Hangul nouns (any syllables) with 0-3 random suffixes, plus a few mixed ones."""
    rng = random.Random(SEED)
    words = []
    for _ in range(count):
        stem = "".join(_random_syllable(rng) for _ in range(rng.randint(1, 4)))
        if rng.random() < 0.1:
            stem = rng.choice(["LSTM", "x", "3", "seq2seq", "attention"]) + stem
        suffixes = rng.sample(ko.SUFFIXES, rng.randint(0, 3))
        words.append(stem + "".join(suffixes))
    return words


def _noun(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(NOUN_SYLLABLES) for _ in range(syllables))


@pytest.mark.parametrize(
    ("word", "term"),
    [
        ("벡터를", "벡터"),
        ("벡터는", "벡터"),
        ("벡터의", "벡터"),
        ("벡터", "벡터"),
        ("벡터들이", "벡터"),
        ("벡터라는", "벡터"),
        ("병목", "병목"),
        ("병목을", "병목"),
        ("병목이다", "병목"),
        ("정렬을", "정렬"),
        ("정렬된", "정렬"),
        ("정렬하는", "정렬"),
        ("정렬합니다", "정렬"),
        ("문맥에서는", "문맥"),
        ("학습했습니다", "학습"),
        ("어텐션이라는", "어텐션"),
        ("인코더로부터", "인코더"),
        ("값으로", "값"),  # multi-syllable particle: a one-syllable noun is fine
        ("값을", "값"),  # 을/를/은/는/에/들 practically never end a two-syllable noun
        ("정확도가", "정확"),  # stripping repeats: 정확도가 and 정확도 meet
        ("정확도", "정확"),
    ],
)
def test_particles_and_endings_are_stripped(word: str, term: str) -> None:
    assert ko.normalize(word) == term


@pytest.mark.parametrize(
    "noun", ["정의", "정도", "길이", "평가", "결과", "경로", "원인", "역할", "포함", "온도", "값이"]
)
def test_two_syllable_words_keep_a_final_syllable_that_looks_like_a_particle(noun: str) -> None:
    assert ko.normalize(noun) == noun
    assert ko.normalize(noun + "를") == noun


def test_latin_words_are_stemmed_like_sphinx_english() -> None:
    from sphinx.search.en import SearchEnglish

    english = SearchEnglish({})
    for word in ["attention", "Attentions", "softmax", "encoder", "decoding", "alignment"]:
        assert ko.normalize(word) == english.stem(word), word
    assert ko.normalize("LSTM") == "lstm"
    assert ko.normalize("LSTM은") == "lstm"
    assert ko.normalize("seq2seq") == ko.normalize("seq2seq를") == "seq2seq"
    assert ko.normalize("attention을") == ko.normalize("attention") == "attent"
    assert ko.normalize("is") == "is"  # shorter than three: not stemmed (as in Sphinx's JS)


def test_mixed_tokens_stay_sensible() -> None:
    assert ko.normalize("3자리") == "3자리"
    assert ko.normalize("3자리를") == "3자리"
    assert ko.normalize("2024년의") == "2024년"
    assert ko.normalize("x를") == "x"
    assert ko.normalize("h_t의") == "h_t"
    assert ko.normalize(unicodedata.normalize("NFD", "벡터를")) == "벡터"


def test_never_an_empty_term_from_a_non_empty_word() -> None:
    suffix_pairs = ["".join(pair) for pair in itertools.product(ko.SUFFIXES, repeat=2)]
    words = [*EDGE_CASES, *ko.SUFFIXES, *suffix_pairs, *_generated_words()]
    for word in filter(None, words):
        assert ko.normalize(word), f"{word!r} became an empty term"


def test_a_noun_gives_the_same_term_with_any_particles() -> None:
    rng = random.Random(SEED)
    for _ in range(500):
        noun = _noun(rng, rng.randint(2, 4))
        particles = "".join(rng.sample(ko.SUFFIXES, rng.randint(1, 3)))
        assert ko.normalize(noun) == noun
        assert ko.normalize(noun + particles) == noun, noun + particles
        assert ko.normalize(ko.normalize(noun + particles)) == noun


def test_one_syllable_nouns_only_lose_safe_or_long_suffixes() -> None:
    for syllable in NOUN_SYLLABLES:
        for suffix in ko.SUFFIXES:
            safe = len(suffix) > 1 or suffix in ko.SAFE_AFTER_ONE_SYLLABLE
            assert ko.normalize(syllable + suffix) == (syllable if safe else syllable + suffix)


def test_stop_words() -> None:
    for word in ["그리고", "그러나", "하지만", "것", "것을", "수를", "The", "and"]:
        assert ko.is_stop_word(word), word
    for word in ["벡터", "병목", "정렬을", "attention", "LSTM", "3자리"]:
        assert not ko.is_stop_word(word), word
    language = ko.SearchKorean({})
    assert not language.word_filter("것을") and not language.word_filter("것")
    assert language.word_filter("벡터") and not language.word_filter("")


def test_suffix_list_is_well_formed() -> None:
    assert len(set(ko.SUFFIXES)) == len(ko.SUFFIXES)
    assert list(ko.SUFFIXES) == sorted(ko.SUFFIXES, key=lambda s: (-len(s), s))
    assert all(ko._HANGUL_RE.fullmatch(ch) for suffix in ko.SUFFIXES for ch in suffix)
    assert ko.SAFE_AFTER_ONE_SYLLABLE.issubset(ko.SUFFIXES)
    assert all(len(suffix) == 1 for suffix in ko.SAFE_AFTER_ONE_SYLLABLE)


def test_split() -> None:
    text = "어텐션(attention)은 LSTM의 은닉 상태, 3자리 덧셈; h_t를 봅니다."
    assert ko.split(text) == [
        *("어텐션", "attention", "은", "LSTM의", "은닉", "상태", "3자리", "덧셈", "h_t를", "봅니다")
    ]
    assert ko.split(unicodedata.normalize("NFD", "벡터를 봅니다")) == ["벡터를", "봅니다"]


# --- Python and JavaScript agree -------------------------------------------------------------

_JS_DRIVER = """
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const stemmer = new Stemmer();
process.stdout.write(JSON.stringify({
  normalize: input.words.map((w) => stemmer.stemWord(w.toLowerCase())),
  stop: input.words.map((w) => KoSearch.isStopWord(w)),
  split: input.texts.map((t) => KoSearch.split(t)),
  splitQuery: input.texts.map((t) => splitQuery(t)),
}));
"""


def _node() -> str:
    node = os.environ.get("ATTN_BOOK_NODE") or shutil.which("node") or "/usr/bin/node"
    if not Path(node).is_file():
        pytest.fail(f"node not found at {node}: the JS normaliser test needs it", pytrace=False)
    return node


def _run_js(words: list[str], texts: list[str], tmp_path: Path) -> dict[str, Any]:
    script = tmp_path / "ko_search_check.js"
    code = ko.SearchKorean.js_stemmer_code + "\n" + ko.SearchKorean.js_splitter_code
    script.write_text(code + _JS_DRIVER, encoding="utf-8")
    result = subprocess.run(
        [_node(), str(script)],
        input=json.dumps({"words": words, "texts": texts}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _generated_texts(words: list[str], count: int = 60) -> list[str]:
    rng = random.Random(SEED + 1)
    separators = [" ", "  ", ", ", ". ", "(", ") ", "-", "\n", " · ", "「", "」", " 🙂 "]
    texts = []
    for _ in range(count):
        parts = rng.sample(words, 6)
        texts.append("".join(part + rng.choice(separators) for part in parts))
    return texts


def test_python_and_javascript_normalisers_agree(tmp_path: Path) -> None:
    english = ["attention", "attentions", "aligned", "alignment", "encoder", "decoding"]
    english += ["softmax", "bottleneck", "vectors", "learning", "trained", "generalization"]
    english += ["hidden", "states", "teacher", "forcing", "heatmap", "sequences", "RNNs", "GRU"]
    words = [*EDGE_CASES, *english, *ko.SUFFIXES, *sorted(ko.STOPWORDS), *_generated_words()]
    texts = [
        "어텐션(attention)은 LSTM의 은닉 상태를 봅니다. 그리고 것을 3자리로!",
        unicodedata.normalize("NFD", "정렬된 벡터들을, 병목현상과 함께"),
        "",
        "x_1, x_2를 softmax에 넣는다",
        *_generated_texts(words),
    ]
    js = _run_js(words, texts, tmp_path)

    python = {
        "normalize": [ko.normalize(w.lower()) for w in words],
        "stop": [ko.is_stop_word(w) for w in words],
        "split": [ko.split(t) for t in texts],
        "splitQuery": [[w for w in ko.split(t) if not ko.is_stop_word(w)] for t in texts],
    }
    for key, expected in python.items():
        inputs = words if key in ("normalize", "stop") else texts
        differences = [
            (item, want, got)
            for item, want, got in zip(inputs, expected, js[key], strict=True)
            if want != got
        ]
        assert differences == [], f"{key}: (input, Python, JS) differ: {differences[:10]}"
    assert len(words) > 400


# --- the mini book's index -------------------------------------------------------------------


def _search_index(html_dir: Path) -> dict[str, Any]:
    text = (html_dir / "searchindex.js").read_text(encoding="utf-8")
    assert text.startswith("Search.setIndex(") and text.endswith(")")
    return json.loads(text[len("Search.setIndex(") : -1])


def test_mini_book_index_holds_normalised_terms(ko_search_book_dir: Path) -> None:
    index = _search_index(ko_search_book_dir)
    docs = index["docnames"]

    def pages(term: str) -> set[str]:
        found = set()
        for mapping in (index["terms"], index["titleterms"]):
            ids = mapping.get(term, [])
            found |= {docs[i] for i in ([ids] if isinstance(ids, int) else ids)}
        return found

    assert pages("벡터") == {"vectors"}
    assert pages("병목") == {"bottleneck"}
    assert pages("정렬") == {"alignment"}
    assert pages("attent") == {"english"}
    assert pages("lstm") == {"vectors"}
    assert pages("3자리") == {"vectors"}
    assert pages("벡터화") == {"other"}  # compounds are not split
    terms = set(index["terms"]) | set(index["titleterms"])
    assert not terms & {"벡터를", "벡터는", "벡터의", "병목은", "정렬을", "정렬된", "attention"}
    assert not terms & set(ko.STOPWORDS)


def test_mini_book_ships_the_javascript_normaliser(ko_search_book_dir: Path) -> None:
    language_data = (ko_search_book_dir / "_static" / "language_data.js").read_text("utf-8")
    assert ko.SearchKorean.js_stemmer_code.strip() in language_data
    assert ko.JS_SPLITTER_CODE.strip() in language_data
    assert '"\\uadf8\\ub9ac\\uace0"' in language_data  # 그리고 among the stop words
