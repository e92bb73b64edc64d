"""Korean particles (조사) chosen by how a number or word is read aloud.

숫자나 단어 뒤에 붙는 조사(을/를, 이/가, 은/는, 과/와, 으로/로 …)를 읽는 소리에 맞춰 고릅니다.
Korean writes the particle after a number or a Latin word, but which form is right depends on the
last syllable as it is *read*: ``0.908`` is read 영 점 구영팔, so it takes 을 (``0.908을``), while
``0.963`` ends in 삼 and takes 과 (``0.963과``). A glued number in the prose followed by a fixed
particle is therefore wrong half the time; glue the number *with* its particle instead::

    from attn_lib import glue
    from attn_lib.korean import with_particle

    glue("acc_attention", with_particle(acc, "을/를", fmt=".3f"))  # -> "0.908을"
    # prose: 정확도는 {glue:text}`acc_attention` 기록했습니다.

How a text is read (어떻게 읽는지):

* **Numbers** are read Sino-Korean (일, 이, 삼 … 십, 백, 천, 만, 억, 조, 경, 해); the
  lowest non-zero place decides (``10`` 십, ``1,000`` 천, ``20000`` 이만, ``100000000``
  일억). Commas must group digits by three. Digits after the decimal point are read one by
  one (``0.908`` 영 점 구영팔, ``1.50`` 일 점 오영). A sign is read 마이너스/플러스 and does
  not change the particle.
* **Units** after a number: ``%`` 퍼센트, ``%p`` 퍼센트포인트, ``‰`` 퍼밀, ``×`` 배 and the Latin
  units of :data:`LATIN_UNITS` (``ms`` 밀리초, ``GB`` 기가바이트 …). A unit written in Hangul
  (``10초``, ``5 에폭``) is read as Hangul: its last syllable decides.
* **Hangul** by the final consonant (받침) of the last syllable; a bare jamo by its name
  (``ㄱ`` 기역, ``ㅏ`` 아).
* **Latin words** by their usual Korean reading: first the table :data:`WORDS` (``Keras`` 케라스,
  ``BLEU`` 블루, ``seq2seq`` 시퀀스투시퀀스 …); then acronyms and single letters letter by letter
  (:data:`LETTERS`: ``LSTM`` 엘에스티엠, ``x`` 엑스); then the last segment of a camel-case name;
  then a few safe English spelling rules (:func:`_english_final`): ``-m``/``-me`` ㅁ, ``-n``/``-ne``
  ㄴ, ``-ng`` ㅇ, ``-l``/``-le`` ㄹ, ``-r``/vowels/``-s``/``-x``/``-sh``/``-ch``/``-th``/``-b``/
  ``-d``/``-g`` and other ``-e`` no final consonant, ``-c``/``-ck`` ㄱ, and ``-p``/``-t``/``-k``
  after a single vowel letter a final consonant, after a consonant none. Words these rules cannot
  decide (``-p``/``-t``/``-k`` after two vowel letters, such as ``boot`` 부트 vs. ``book`` 북) raise
  ``ValueError``; pass ``read_as="부트"`` or add them to :data:`WORDS`.
* **Greek letters** by name (:data:`GREEK`: ``α`` 알파, ``ε`` 엡실론).
* **Wrapping**: trailing quotes, back-ticks and closing brackets are looked through (``'BLEU'를``);
  a trailing parenthesised gloss is skipped, as Korean writing agrees the particle with the word
  before it (``어텐션(attention)을``).

Anything else (``✓``, emoji, a lone ``?``) raises ``ValueError`` that names the character.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from typing import Any

__all__ = [
    "GREEK",
    "LATIN_UNITS",
    "LETTERS",
    "PARTICLES",
    "WORDS",
    "final_consonant",
    "josa",
    "last_syllable",
    "particle_for",
    "read_number",
    "with_particle",
]

# --- particles ---------------------------------------------------------------------------------

#: Every supported particle, as (form after a final consonant, form after a vowel). The 으로 family
#: uses its vowel form after ㄹ as well (``일로``, ``블루로``, ``엘로``).
PARTICLES: tuple[tuple[str, str], ...] = (
    ("을", "를"),
    ("이", "가"),
    ("은", "는"),
    ("과", "와"),
    ("으로", "로"),
    ("으로서", "로서"),
    ("으로써", "로써"),
    ("으로는", "로는"),
    ("으로도", "로도"),
    ("이나", "나"),
    ("이나마", "나마"),
    ("이라", "라"),
    ("이라고", "라고"),
    ("이라는", "라는"),
    ("이란", "란"),
    ("이든", "든"),
    ("이든지", "든지"),
    ("이며", "며"),
    ("이고", "고"),
    ("이면", "면"),
    ("이랑", "랑"),
    ("이다", "다"),
    ("이었다", "였다"),
    ("이었습니다", "였습니다"),
)
_RIEUL_TAKES_VOWEL_FORM = {pair for pair in PARTICLES if pair[0].startswith("으")}
# Single members that are ordinary text after a vowel ("다", "고", "며" …) are accepted only as
# part of a pair, so a typo cannot silently pick a particle.
_AMBIGUOUS_SINGLE = {"나", "라", "란", "든", "며", "고", "면", "다", "랑", "가", "로"}
_ALLOWED_SINGLE_VOWEL_FORM = {"가", "로"}


def _resolve_particle(particle: str) -> tuple[str, str]:
    """Return the (consonant, vowel) pair ``particle`` names ("을/를", "를/을", "을", "를" …)."""
    if not isinstance(particle, str):
        raise ValueError(
            f"particle must be a string such as '을/를', got {type(particle).__name__}"
        )
    request = particle.strip()
    if request.startswith("("):  # "(을)를"
        request = request.replace("(", "").replace(")", "/")
    else:  # "을(를)"
        request = request.replace("(", "/").replace(")", "")
    parts = [p for p in request.split("/") if p]
    for pair in PARTICLES:
        if len(parts) == 2 and set(parts) == set(pair):
            return pair
        if len(parts) == 1 and parts[0] in pair:
            if parts[0] == pair[1] and parts[0] in _AMBIGUOUS_SINGLE - _ALLOWED_SINGLE_VOWEL_FORM:
                break
            return pair
    known = ", ".join("/".join(pair) for pair in PARTICLES)
    raise ValueError(f"unknown particle {particle!r}; use one of: {known}")


# --- readings ----------------------------------------------------------------------------------

_DIGITS = "영일이삼사오육칠팔구"
_SMALL_UNITS = ("", "십", "백", "천")
_BIG_UNITS = ("", "만", "억", "조", "경", "해")

#: Korean reading of each Latin letter (the way Korean engineers spell acronyms out).
LETTERS: dict[str, str] = {
    "a": "에이", "b": "비", "c": "씨", "d": "디", "e": "이", "f": "에프", "g": "지",
    "h": "에이치", "i": "아이", "j": "제이", "k": "케이", "l": "엘", "m": "엠", "n": "엔",
    "o": "오", "p": "피", "q": "큐", "r": "알", "s": "에스", "t": "티", "u": "유", "v": "브이",
    "w": "더블유", "x": "엑스", "y": "와이", "z": "제트",
}  # fmt: skip

#: Greek letters by their Korean names.
GREEK: dict[str, str] = {
    "α": "알파", "β": "베타", "γ": "감마", "δ": "델타", "ε": "엡실론", "ζ": "제타", "η": "에타",
    "θ": "세타", "ι": "요타", "κ": "카파", "λ": "람다", "μ": "뮤", "ν": "뉴", "ξ": "크시",
    "π": "파이", "ρ": "로", "σ": "시그마", "τ": "타우", "υ": "입실론", "φ": "파이", "χ": "카이",
    "ψ": "프사이", "ω": "오메가",
}  # fmt: skip

#: Korean readings of Latin words and names the book uses (lower case keys). Words not listed are
#: read by the letter and spelling rules described in the module docstring.
WORDS: dict[str, str] = {
    # libraries, tools, formats
    "keras": "케라스", "tensorflow": "텐서플로", "pytorch": "파이토치", "jax": "잭스",
    "numpy": "넘파이", "pandas": "판다스", "seaborn": "시본", "matplotlib": "맷플롯립",
    "python": "파이썬", "jupyter": "주피터", "colab": "코랩", "github": "깃허브",
    "sphinx": "스핑크스", "myst": "미스트", "ipywidgets": "아이파이위젯", "json": "제이슨",
    "html": "에이치티엠엘", "png": "피엔지", "ops": "옵스",
    # models and methods
    "seq2seq": "시퀀스투시퀀스", "bleu": "블루", "adam": "아담", "softmax": "소프트맥스",
    "tanh": "탄에이치", "relu": "렐루", "sigmoid": "시그모이드", "attention": "어텐션",
    "transformer": "트랜스포머", "encoder": "인코더", "decoder": "디코더", "dense": "덴스",
    "embedding": "임베딩", "dropout": "드롭아웃", "batch": "배치", "epoch": "에폭",
    "token": "토큰", "logit": "로짓", "logits": "로짓", "mask": "마스크", "concat": "콘캣",
    "dot": "닷", "general": "제너럴", "additive": "애디티브", "bahdanau": "바다나우",
    "luong": "루옹", "cho": "조", "sutskever": "수츠케버", "vaswani": "바스와니",
    "graves": "그레이브스", "hochreiter": "호흐라이터", "zaremba": "자렘바", "output": "아웃풋",
    "input": "인풋", "seq": "시퀀스", "beam": "빔", "greedy": "그리디", "teacher": "티처",
    "forcing": "포싱",
    "model": "모델", "layer": "레이어", "loss": "로스", "accuracy": "어큐러시", "step": "스텝",
    "gpu": "지피유", "cpu": "씨피유", "tpu": "티피유", "gru": "지알유", "api": "에이피아이",
}  # fmt: skip

#: Latin units written right after a number (case-sensitive keys).
LATIN_UNITS: dict[str, str] = {
    "ms": "밀리초", "s": "초", "min": "분", "h": "시간",
    "KB": "킬로바이트", "kB": "킬로바이트", "MB": "메가바이트", "GB": "기가바이트",
    "TB": "테라바이트", "B": "바이트", "px": "픽셀", "x": "배",
}  # fmt: skip

_SYMBOL_UNITS: dict[str, str] = {"%p": "퍼센트포인트", "%": "퍼센트", "‰": "퍼밀", "×": "배"}

_CLOSERS = "'\"`’”」』》〉]}*"
_NUMBER_TAIL = re.compile(
    r"(?P<sign>[-+−]?)(?P<int>[0-9][0-9,]*)(?P<frac>\.[0-9]+)?"
    r"(?P<space>\s*)(?P<unit>%p|%|‰|×|[A-Za-z]{1,3})?$"
)
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_JONG = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]
_JAMO_NAMES = {
    "ㄱ": "기역", "ㄴ": "니은", "ㄷ": "디귿", "ㄹ": "리을", "ㅁ": "미음", "ㅂ": "비읍",
    "ㅅ": "시옷", "ㅇ": "이응", "ㅈ": "지읒", "ㅊ": "치읓", "ㅋ": "키읔", "ㅌ": "티읕",
    "ㅍ": "피읖", "ㅎ": "히읗", "ㄲ": "쌍기역", "ㄸ": "쌍디귿", "ㅃ": "쌍비읍", "ㅆ": "쌍시옷",
    "ㅉ": "쌍지읒",
}  # fmt: skip


def _is_syllable(char: str) -> bool:
    return _HANGUL_FIRST <= ord(char) <= _HANGUL_LAST


def _read_group(value: int) -> str:
    """Read 1..9999 (the 1 before 십/백/천 is silent: 천이백, not 일천이백)."""
    out = []
    for place in range(3, -1, -1):
        digit = value // 10**place % 10
        if digit:
            out.append(("" if digit == 1 and place else _DIGITS[digit]) + _SMALL_UNITS[place])
    return "".join(out)


def _read_integer(digits: str) -> str:
    value = int(digits)
    if value == 0:
        return "영"
    if value >= 10 ** (4 * len(_BIG_UNITS)):
        raise ValueError(f"number {digits} is too large to read (largest unit is 해, 10^20)")
    groups = []
    for index in range(len(_BIG_UNITS) - 1, -1, -1):
        group = value // 10 ** (4 * index) % 10**4
        if group:
            unit = _BIG_UNITS[index]
            groups.append(("" if group == 1 and unit == "만" else _read_group(group)) + unit)
    return " ".join(groups)


def _check_commas(digits: str) -> str:
    if "," in digits and not re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+", digits):
        raise ValueError(
            f"commas in {digits!r} do not group the digits by three (write 1,000 or 1000)"
        )
    return digits.replace(",", "")


def read_number(number: Any) -> str:
    """Read a number aloud in Sino-Korean / 숫자를 한자어 수사로 읽습니다.

    ``read_number(20000)`` → ``"이만"``; ``read_number("1,234.05")`` → ``"천이백삼십사 점 영오"``;
    ``read_number(-3)`` → ``"마이너스 삼"``; ``read_number("12%")`` → ``"십이 퍼센트"``.

    Args:
        number: an ``int``/``float`` (or NumPy scalar), or a string of digits with optional sign,
            thousands commas, decimal part and a unit (``%``, ``%p``, ``ms`` …).

    Raises:
        ValueError: if ``number`` is not a finite number or such a string.
    """
    text = _number_text(number) if not isinstance(number, str) else number.strip()
    match = _NUMBER_TAIL.fullmatch(text)
    if not match or (match["unit"] and _unit_reading(match["unit"]) is None):
        raise ValueError(f"{number!r} is not a number read_number can read")
    return _read_match(match)


def _unit_reading(unit: str) -> str | None:
    return _SYMBOL_UNITS.get(unit) or LATIN_UNITS.get(unit)


def _read_match(match: re.Match[str]) -> str:
    words = []
    if match["sign"]:
        words.append("플러스" if match["sign"] == "+" else "마이너스")
    words.append(_read_integer(_check_commas(match["int"])))
    if match["frac"]:
        words += ["점", "".join(_DIGITS[int(d)] for d in match["frac"][1:])]
    if match["unit"]:
        words.append(_unit_reading(match["unit"]) or "")
    return " ".join(words)


def _number_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"expected a number or text, got {type(value).__name__}: {value!r}")
    if hasattr(value, "item"):
        value = value.item()  # NumPy scalar -> Python number
    if isinstance(value, numbers.Integral):
        return str(int(value))
    value = float(value)  # fractions and other reals print as a decimal
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} has no Korean reading (not a finite number)")
        text = repr(value)
        if "e" in text or "E" in text:
            raise ValueError(
                f"{value!r} would print in scientific notation; pass fmt= (e.g. '.6f') to format it"
            )
        return text


def _english_final(word: str) -> str:
    """Last syllable-sound of an English word not in :data:`WORDS`, as a Hangul stand-in."""
    w = word.lower()
    vowels = "aeiouy"
    if w.endswith("ng"):
        return "응"
    if w.endswith(("m", "me")):
        return "음"
    if w.endswith(("n", "ne")):
        return "은"
    if w.endswith(("l", "le")):
        return "을"
    if w.endswith("ck") or (w.endswith("c") and len(w) > 1 and w[-2] in vowels):
        return "윽"  # logic 로직, stack 스택
    if w.endswith("c"):
        return "크"  # sync 싱크
    if w[-1] in "ptk":
        before = w[-2] if len(w) > 1 else ""
        if before and before not in vowels:
            return "트"  # test 테스트, script 스크립트, desk 데스크: no final consonant
        if before and (len(w) < 3 or w[-3] not in vowels):
            return "읏"  # cat 캣, dot 닷, input 인풋, top 톱: short vowel -> final consonant
        raise ValueError(
            f"cannot tell how {word!r} is read in Korean (boot 부트 or book 북?); "
            "pass read_as= with its Hangul reading"
        )
    return "어"  # vowels, -r, -s, -x, -f, -v, -sh, -ch, -th, -b, -d, -g, other -e


def last_syllable(text: Any, *, read_as: str | None = None) -> str:
    """The Hangul syllable the text ends with when read aloud / 읽었을 때 마지막 음절.

    ``last_syllable("0.908")`` → ``"팔"``; ``last_syllable("BLEU")`` → ``"루"``;
    ``last_syllable("12%")`` → ``"트"``; ``last_syllable("LSTM")`` → ``"엠"``.

    Args:
        text: a number (``int``/``float``/NumPy scalar) or a string.
        read_as: optional Hangul reading that replaces the text's own (for words the rules in the
            module docstring cannot read).

    Raises:
        ValueError: empty text, or a last character that has no Korean reading (``✓``, emoji).
    """
    if read_as is not None:
        reading = read_as.strip() if isinstance(read_as, str) else ""
        if not reading or not _is_syllable(reading[-1]):
            raise ValueError(f"read_as must be Hangul ending in a syllable, got {read_as!r}")
        return reading[-1]
    if not isinstance(text, str):
        text = _number_text(text)
    original = text
    text = unicodedata.normalize("NFC", text).rstrip()
    while text:
        if text[-1] in _CLOSERS:
            text = text[:-1].rstrip()
            continue
        if text.endswith(")"):
            text = _drop_parenthesis(text, original)
            continue
        break
    if not text:
        raise ValueError(f"{original!r} has nothing to read before the particle")
    last = text[-1]
    if _is_syllable(last):
        return last
    if last in _JAMO_NAMES:
        return _JAMO_NAMES[last][-1]
    if "ㅏ" <= last <= "ㅣ":
        return "아"  # a vowel jamo is read as its own vowel: no final consonant
    if last in GREEK:
        return GREEK[last][-1]
    if (last.isascii() and (last.isalnum() or last in "%")) or last in "‰×−":
        return _latin_or_number_final(text, original)
    raise ValueError(
        f"{original!r} ends in {last!r} (U+{ord(last):04X}), which has no Korean reading; "
        "put the particle after a word or number"
    )


def _drop_parenthesis(text: str, original: str) -> str:
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            depth -= 1
            if depth == 0:
                before = text[:index].rstrip()
                # "(12%)" alone: read what is inside; "어텐션(attention)": read the word before.
                return before if before else text[1:-1]
    raise ValueError(f"unbalanced parenthesis in {original!r}")


def _latin_or_number_final(text: str, original: str) -> str:
    token = re.search(r"[A-Za-z0-9]+$", text)
    if token and token[0].lower() in WORDS:
        return WORDS[token[0].lower()][-1]
    number = _NUMBER_TAIL.search(text)
    if number and number.start() < len(text):
        unit = number["unit"]
        start_is_number = not (number.start() > 0 and text[number.start() - 1].isalpha())
        if unit is None or (_unit_reading(unit) is not None and start_is_number):
            return _read_match(number)[-1]
    letters = re.search(r"[A-Za-z]+$", text)
    if letters is None:
        raise ValueError(f"{original!r}: cannot read its last character {text[-1]!r}")
    word = letters[0]
    if word.lower() in WORDS:
        return WORDS[word.lower()][-1]
    if len(word) == 1 or word.isupper():
        return LETTERS[word[-1].lower()][-1]
    camel = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+", word)
    if len(camel) > 1:
        last = camel[-1]
        if last.lower() in WORDS:
            return WORDS[last.lower()][-1]
        if last.isupper():
            return LETTERS[last[-1].lower()][-1]
        word = last
    return _english_final(word)


def final_consonant(text: Any, *, read_as: str | None = None) -> str:
    """The final consonant (받침) of the reading as a jamo (``"ㄹ"``), or ``""`` if none.

    ``final_consonant(3)`` → ``"ㅁ"`` (삼); ``final_consonant("BLEU")`` → ``""`` (블루).
    """
    return _JONG[(ord(last_syllable(text, read_as=read_as)) - _HANGUL_FIRST) % 28]


def particle_for(text: Any, particle: str, *, read_as: str | None = None) -> str:
    """Only the particle that fits ``text`` / 알맞은 조사만 돌려줍니다.

    ``particle_for(0.963, "과/와")`` → ``"과"``; ``particle_for("Keras", "을")`` → ``"를"``.

    Args:
        text: number or string the particle follows.
        particle: a pair such as ``"을/를"`` (either order) or one member (``"을"``, ``"를"``);
            see :data:`PARTICLES`.
        read_as: optional Hangul reading for a word the rules cannot read.

    Raises:
        ValueError: unknown particle, or text without a Korean reading.
    """
    consonant_form, vowel_form = pair = _resolve_particle(particle)
    jong = final_consonant(text, read_as=read_as)
    if not jong or (jong == "ㄹ" and pair in _RIEUL_TAKES_VOWEL_FORM):
        return vowel_form
    return consonant_form


def josa(text: Any, particle: str, *, read_as: str | None = None) -> str:
    """Text followed by the right particle / 읽는 소리에 맞는 조사를 붙입니다.

    ``josa(10, "을/를")`` → ``"10을"`` (십); ``josa("LSTM", "이/가")`` → ``"LSTM이"`` (엠);
    ``josa("BLEU", "을")`` → ``"BLEU를"`` (블루); ``josa(0.963, "와")`` → ``"0.963과"`` (삼);
    ``josa("12%", "으로")`` → ``"12%로"`` (퍼센트).

    Numbers are written as Python prints them (``str``); use :func:`with_particle` to format them.

    Raises:
        ValueError: unknown particle, or text whose last character has no Korean reading.
    """
    written = text if isinstance(text, str) else _number_text(text)
    return written + particle_for(written, particle, read_as=read_as)


def with_particle(
    value: Any, particle: str, fmt: str | None = None, *, read_as: str | None = None
) -> str:
    """Format ``value`` and append the particle that fits the formatted text / 서식 + 조사.

    The particle is chosen from the text *as formatted*: ``with_particle(0.9083, "을", fmt=".3f")``
    → ``"0.908을"``; with ``fmt=".1%"`` → ``"90.8%를"``; ``with_particle(20000, "이", fmt=",")`` →
    ``"20,000이"``. Meant for ``glue`` so that a measured number and its particle travel together.

    Args:
        value: the number (or string) to show.
        particle: ``"을/를"``, ``"을"``, ``"를"``, … (see :data:`PARTICLES`).
        fmt: a :func:`format` spec (``".3f"``, ``".1%"``, ``","``); ``None`` prints the value as is.
        read_as: optional Hangul reading for a word the rules cannot read.

    Raises:
        ValueError: a bad format spec, an unknown particle, or text without a Korean reading.
    """
    if fmt is None:
        return josa(value, particle, read_as=read_as)
    if not isinstance(fmt, str):
        raise ValueError(f"fmt must be a format spec string such as '.3f', got {fmt!r}")
    try:
        written = format(value, fmt)
    except (ValueError, TypeError) as error:
        raise ValueError(f"cannot format {value!r} with {fmt!r}: {error}") from None
    return josa(written, particle, read_as=read_as)
