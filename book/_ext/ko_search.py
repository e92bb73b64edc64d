"""Korean search language for Sphinx's built-in full-text search (``html_search_language = "ko"``).

Sphinx has no Korean search language: it splits on white space and indexes ``벡터를``, ``벡터는``
and ``벡터의`` as three unrelated words, while its partial matching only starts at three
characters. A reader typing ``벡터`` therefore misses most pages. This extension normalises every
word the same way on both sides of the search:

* index side (Python): :meth:`SearchKorean.split`, :meth:`SearchKorean.stem` and
  :meth:`SearchKorean.word_filter`, which Sphinx calls for every text node of every page;
* query side (JavaScript, shipped in ``_static/language_data.js``): ``splitQuery`` and
  ``Stemmer.stemWord``, which ``searchtools.js`` calls on the reader's query.

Both sides are generated from the same data (:data:`SUFFIXES`, :data:`SAFE_AFTER_ONE_SYLLABLE`,
:data:`STOPWORDS`) and implement the same algorithm; ``tests/test_ko_search.py`` runs the
JavaScript in node on a few hundred words and checks it against the Python.

Normalisation of one word (:func:`normalize`):

1. Unicode NFC, then lower case.
2. If the word contains Hangul, repeatedly strip the longest particle/ending from
   :data:`SUFFIXES` that the word ends with, *provided the remainder stays sensible*:

   - the remainder is never empty;
   - a remainder of a single Hangul syllable is allowed only for multi-syllable suffixes
     (``값으로`` → ``값``, ``말하는`` → ``말``) and for the one-syllable particles in
     :data:`SAFE_AFTER_ONE_SYLLABLE` (을 를 은 는 에 들), which practically never end a
     two-syllable noun. Other one-syllable suffixes do end many two-syllable nouns
     (평가, 정의, 정도, 경로, 결과, 원인, 역할, 포함, 길이 …), so those words are kept whole.

   If the longest candidate is not allowed, shorter ones are tried. Stripping repeats until
   nothing applies, so stacked particles go too (``모델에서는`` → ``모델에서`` → ``모델``) and a
   noun gives the same term with and without particles (``정확도``, ``정확도가`` → ``정확``).
3. If no Hangul is left and the word has three or more characters, apply the Porter stemmer
   like Sphinx's English search (``attention`` and ``attention을`` → ``attent``; ``LSTM`` →
   ``lstm``). Sphinx's JavaScript Porter stemmer leaves shorter words alone while the Python one
   does not (``is`` → ``i``), so both sides skip them. Mixed words that keep
   Hangul (``3자리``, ``3자리를`` → ``3자리``) are left as they are after step 2.

Stop words (:data:`KOREAN_STOPWORDS` plus Sphinx's English list) are neither indexed nor
searched; a word counts as a stop word when it or its normal form is in the list
(``것을`` → ``것``).

Known limits: no morphological analysis (a dictionary-free heuristic), so compounds are not split
(``벡터화`` does not match ``벡터``) and a few nouns lose a final syllable that looks like a
particle (``파이프라인`` → ``파이프라``) — harmless, because the query is normalised the same way.

Register in Jupyter Book's ``_config.yml`` (``sphinx.local_extensions`` adds ``book/_ext`` to
``sys.path``; the name must also be in ``sphinx.config.extensions`` when that list is given)::

    sphinx:
      local_extensions:
        ko_search: book/_ext
      config:
        extensions: [..., ko_search]
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from typing import TYPE_CHECKING, Any

import snowballstemmer
from sphinx.search import SearchLanguage
from sphinx.search.en import english_stopwords, js_porter_stemmer

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "1.0"
#: Bump when the normalisation rules change: Sphinx then rebuilds the environment and the index.
ENV_VERSION = 1

#: Particles (조사), the copula (이다) and the endings of 하다/되다 verbs that are stripped from
#: the end of Hangul words. Longest match first; stacked forms (에서는, 으로부터도 …) need no
#: entry of their own because stripping repeats.
SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            # case particles (격조사)
            *("이", "가", "께서", "을", "를", "의", "에", "에서", "에게", "에게서", "한테"),
            *("으로", "로", "으로서", "로서", "으로써", "로써", "으로부터", "로부터"),
            *("와", "과", "이랑", "처럼", "보다", "만큼"),
            # auxiliary particles (보조사) and the plural marker 들
            *("은", "는", "도", "만", "까지", "부터", "마다", "조차", "마저", "밖에"),
            *("이나", "이라도", "들"),
            # copula 이다
            *("이다", "입니다", "이며", "이고", "이라", "이라고", "이지만", "이므로", "이면"),
            *("인", "였다", "이었다", "이에요", "예요", "이란", "라고", "라는"),
            # 하다 verbs (학습하는, 정렬한 …)
            *("하다", "한다", "하는", "하고", "하며", "하면", "하여", "해서", "하지", "한", "할"),
            *("함", "합니다", "했다", "했고", "했습니다", "하였다", "하기", "해야", "하게"),
            *("하도록", "하려면", "했던", "하던"),
            # 되다 verbs (정렬된, 학습되는 …)
            *("되다", "된다", "된", "되는", "되고", "되며", "되면", "되어", "돼", "됩니다"),
            *("됐다", "되었다", "될", "됨", "되기", "되지", "되도록"),
        },
        key=lambda suffix: (-len(suffix), suffix),
    )
)

#: One-syllable suffixes that may leave a one-syllable noun (값을 → 값, 층은 → 층, 점들 → 점).
SAFE_AFTER_ONE_SYLLABLE: frozenset[str] = frozenset({"을", "를", "은", "는", "에", "들"})

#: Korean words that carry no meaning on their own and appear in almost every paragraph:
#: conjunctions and connective adverbs, demonstratives, and the bound nouns 것/수/등/때.
KOREAN_STOPWORDS: frozenset[str] = frozenset(
    {
        *("그리고", "그러나", "하지만", "그런데", "그래서", "따라서", "또는", "또한", "및", "즉"),
        *("이", "그", "저", "것", "수", "등", "때", "더", "또"),
    }
)

#: Everything that is neither indexed nor searched.
STOPWORDS: frozenset[str] = frozenset(english_stopwords) | KOREAN_STOPWORDS

_HANGUL_RE = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_WORD_RE = re.compile(r"\w+")
_PORTER = snowballstemmer.stemmer("porter")


def _is_hangul(char: str) -> bool:
    return _HANGUL_RE.fullmatch(char) is not None


def _may_strip(word: str, suffix: str) -> bool:
    """Whether ``suffix`` may be cut from the end of ``word`` (see the module docstring)."""
    if len(word) <= len(suffix) or not word.endswith(suffix):
        return False
    remainder = word[: -len(suffix)]
    if len(remainder) == 1 and _is_hangul(remainder):
        return len(suffix) > 1 or suffix in SAFE_AFTER_ONE_SYLLABLE
    return True


def strip_particles(word: str) -> str:
    """Strip particles and endings from the end of a (lower-case, NFC) word, longest first."""
    stripped = True
    while stripped:
        stripped = False
        for suffix in SUFFIXES:
            if _may_strip(word, suffix):
                word = word[: -len(suffix)]
                stripped = True
                break
    return word


@functools.lru_cache(maxsize=65536)
def normalize(word: str) -> str:
    """Return the search term of one word: particles stripped, Latin words Porter-stemmed.

    Memoised: indexing the book asks for the same few thousand words about 150,000 times, and
    uncached this function took about a third of the quick build's Sphinx time.
    """
    word = unicodedata.normalize("NFC", word).lower()
    if _HANGUL_RE.search(word):
        word = strip_particles(word)
    if len(word) > 2 and not _HANGUL_RE.search(word):
        word = _PORTER.stemWord(word) or word
    return word


def is_stop_word(word: str) -> bool:
    """Whether a word (or its normal form) is a stop word."""
    lower = unicodedata.normalize("NFC", word).lower()
    return lower in STOPWORDS or normalize(lower) in STOPWORDS


def split(text: str) -> list[str]:
    """Split text into words: runs of letters, digits and ``_`` (Python's ``\\w``)."""
    return _WORD_RE.findall(unicodedata.normalize("NFC", text))


_JS_TEMPLATE = r"""
/**
 * Korean search normaliser (book/_ext/ko_search.py): strips particles from Hangul words and
 * Porter-stems Latin words, exactly like the Python side that built searchindex.js.
 */
var KoSearch = (function () {
  /* Sphinx's English Porter stemmer, kept local to this closure. */
  __PORTER__
  var porter = new Stemmer();
  var SUFFIXES = __SUFFIXES__;
  var SAFE_AFTER_ONE_SYLLABLE = __SAFE__;
  var STOPWORDS = __STOPWORDS__;
  var HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/;
  var WORD = /[\p{L}\p{N}_]+/gu;

  function has(list, item) {
    return list.indexOf(item) !== -1;
  }

  function endsWith(word, suffix) {
    return word.length >= suffix.length &&
      word.slice(word.length - suffix.length) === suffix;
  }

  function mayStrip(word, suffix) {
    if (word.length <= suffix.length || !endsWith(word, suffix)) return false;
    var remainder = word.slice(0, word.length - suffix.length);
    if (remainder.length === 1 && HANGUL.test(remainder)) {
      return suffix.length > 1 || has(SAFE_AFTER_ONE_SYLLABLE, suffix);
    }
    return true;
  }

  function stripParticles(word) {
    var stripped = true;
    while (stripped) {
      stripped = false;
      for (var i = 0; i < SUFFIXES.length; i++) {
        if (mayStrip(word, SUFFIXES[i])) {
          word = word.slice(0, word.length - SUFFIXES[i].length);
          stripped = true;
          break;
        }
      }
    }
    return word;
  }

  function normalize(word) {
    word = word.normalize("NFC").toLowerCase();
    if (HANGUL.test(word)) word = stripParticles(word);
    if (Array.from(word).length > 2 && !HANGUL.test(word)) word = porter.stemWord(word) || word;
    return word;
  }

  function isStopWord(word) {
    var lower = word.normalize("NFC").toLowerCase();
    return has(STOPWORDS, lower) || has(STOPWORDS, normalize(lower));
  }

  function split(text) {
    return text.normalize("NFC").match(WORD) || [];
  }

  return {
    normalize: normalize,
    isStopWord: isStopWord,
    split: split,
    splitQuery: function (query) {
      return split(query).filter(function (word) { return !isStopWord(word); });
    }
  };
})();

var Stemmer = function () {
  this.stemWord = function (word) {
    return KoSearch.normalize(word);
  };
};
"""


def _js_list(items: frozenset[str] | tuple[str, ...]) -> str:
    ordered = items if isinstance(items, tuple) else sorted(items)
    return json.dumps(list(ordered), ensure_ascii=True)


def js_stemmer_code() -> str:
    """The JavaScript normaliser (``KoSearch`` plus Sphinx's ``Stemmer`` class)."""
    return (
        _JS_TEMPLATE.replace("__PORTER__", js_porter_stemmer.strip())
        .replace("__SUFFIXES__", _js_list(SUFFIXES))
        .replace("__SAFE__", _js_list(SAFE_AFTER_ONE_SYLLABLE))
        .replace("__STOPWORDS__", _js_list(STOPWORDS))
    )


#: ``splitQuery`` for language_data.js (rendered unescaped after the stemmer code): the
#: query's words minus stop words, so ``searchtools.js`` never requires a word the index lacks.
JS_SPLITTER_CODE = "var splitQuery = function (query) { return KoSearch.splitQuery(query); };\n"


class SearchKorean(SearchLanguage):
    """Korean search: particle stripping for Hangul, Porter stemming for Latin words."""

    lang = "ko"
    language_name = "Korean"
    js_stemmer_code = js_stemmer_code()
    js_splitter_code = JS_SPLITTER_CODE

    def init(self, options: dict[str, str]) -> None:
        """Set the stop words (English and Korean); they also go to language_data.js."""
        self.stopwords = set(STOPWORDS)

    def split(self, input: str) -> list[str]:
        """Split text into words."""
        return split(input)

    def stem(self, word: str) -> str:
        """Normalise one word (see :func:`normalize`)."""
        return normalize(word)

    def word_filter(self, word: str) -> bool:
        """Index every non-empty word that is not a stop word."""
        return bool(word) and not is_stop_word(word)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the ``ko`` search language."""
    app.add_search_language(SearchKorean)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
