"""Korean particles that agree with the word before them (을/를, 이/가, 은/는, 과/와, 으로/로).

A particle depends on how the preceding word ends when read aloud: after a final consonant
(받침) 을, 이, 은, 과, 으로; after a vowel 를, 가, 는, 와, 로 (and 로 also after ㄹ).
"""

from __future__ import annotations

__all__ = ["josa"]

_PAIRS = {
    frozenset({"을", "를"}): ("을", "를"),
    frozenset({"이", "가"}): ("이", "가"),
    frozenset({"은", "는"}): ("은", "는"),
    frozenset({"과", "와"}): ("과", "와"),
    frozenset({"으로", "로"}): ("으로", "로"),
}
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # index of ㄹ among the final consonants


def _final(syllable: str) -> int:
    return (ord(syllable) - _HANGUL_FIRST) % 28


def josa(word: object, particle: str) -> str:
    """Return ``word`` followed by the form of ``particle`` that agrees with it.

    >>> josa("모델", "을/를")
    '모델을'
    """
    text = str(word)
    forms = _PAIRS.get(frozenset(particle.split("/")))
    if not text or forms is None:
        raise ValueError(f"cannot attach particle {particle!r} to {text!r}")
    last = text.rstrip()[-1]
    if not _HANGUL_FIRST <= ord(last) <= _HANGUL_LAST:
        raise ValueError(f"cannot tell how {text!r} is read aloud")
    final = _final(last)
    with_consonant, with_vowel = forms
    if with_consonant == "으로" and final == _RIEUL:
        return text + with_vowel
    return text + (with_consonant if final else with_vowel)
