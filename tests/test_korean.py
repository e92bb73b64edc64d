"""attn_lib.korean: particles chosen by how numbers, Latin words and Hangul are read aloud."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from attn_lib.korean import (
    PARTICLES,
    WORDS,
    final_consonant,
    josa,
    last_syllable,
    particle_for,
    read_number,
    with_particle,
)


@pytest.mark.parametrize(
    ("digit", "reading", "eul", "gwa", "euro"),
    [
        (0, "영", "을", "과", "으로"),
        (1, "일", "을", "과", "로"),
        (2, "이", "를", "와", "로"),
        (3, "삼", "을", "과", "으로"),
        (4, "사", "를", "와", "로"),
        (5, "오", "를", "와", "로"),
        (6, "육", "을", "과", "으로"),
        (7, "칠", "을", "과", "로"),
        (8, "팔", "을", "과", "로"),
        (9, "구", "를", "와", "로"),
    ],
)
def test_every_digit(digit: int, reading: str, eul: str, gwa: str, euro: str) -> None:
    assert read_number(digit) == reading
    assert josa(digit, "을/를") == f"{digit}{eul}"
    assert particle_for(digit, "과/와") == gwa
    assert particle_for(digit, "으로/로") == euro


@pytest.mark.parametrize(
    ("number", "reading", "expected"),
    [
        (10, "십", "10을"),
        (11, "십일", "11을"),
        (20, "이십", "20을"),
        (100, "백", "100을"),
        (1000, "천", "1000을"),
        (10_000, "만", "10000을"),
        (20_000, "이만", "20000을"),
        (110_000, "십일만", "110000을"),
        (100_000_000, "일억", "100000000을"),
        (1_000_000_000_000, "일조", "1000000000000를"),
        (1234, "천이백삼십사", "1234를"),
        (102, "백이", "102를"),
        (10**16, "일경", f"{10**16}을"),
    ],
)
def test_places_and_big_units(number: int, reading: str, expected: str) -> None:
    assert read_number(number) == reading
    assert josa(number, "을/를") == expected


def test_big_numbers_with_commas() -> None:
    assert josa("1,000", "을") == "1,000을"
    assert josa("20,000", "이/가") == "20,000이"
    assert josa("1,000,000", "은") == "1,000,000은"  # 백만
    assert read_number("1,234,567") == "백이십삼만 사천오백육십칠"
    assert with_particle(20000, "이", fmt=",") == "20,000이"
    assert with_particle(12345, "를", fmt=",") == "12,345를"  # 오
    with pytest.raises(ValueError, match="group the digits by three"):
        josa("1,00", "을")
    with pytest.raises(ValueError, match="too large"):
        read_number(10**24)


def test_decimals_are_read_digit_by_digit() -> None:
    assert read_number(0.908) == "영 점 구영팔"
    assert josa(0.908, "를") == "0.908을"  # the "0.908를"
    assert josa(0.963, "와") == "0.963과"  # the "0.963와"
    assert josa("0.900", "을") == "0.900을"  # trailing zero is read: 영
    assert josa("1.5", "이") == "1.5가"
    assert josa("1,234.05", "을") == "1,234.05를"
    assert with_particle(0.90834, "을", fmt=".3f") == "0.908을"
    assert with_particle(0.96321, "과", fmt=".3f") == "0.963과"
    assert with_particle(np.float32(0.25), "은", fmt=".2f") == "0.25는"


def test_percentages_and_units() -> None:
    assert josa("12%", "을") == "12%를"
    assert josa("12 %", "과") == "12 %와"
    assert josa("3.5%p", "이") == "3.5%p가"  # 퍼센트포인트
    assert read_number("12%") == "십이 퍼센트"
    assert with_particle(0.9083, "을", fmt=".1%") == "90.8%를"
    assert josa("3×", "으로") == "3×로"  # 배
    assert josa("3x", "으로") == "3x로"
    assert josa("40ms", "이") == "40ms가"  # 밀리초
    assert josa("2 GB", "을") == "2 GB를"
    assert josa("1h", "이") == "1h이"  # 시간
    assert josa("10초", "을") == "10초를"
    assert josa("5개", "이") == "5개가"
    assert josa("3배", "로") == "3배로"
    assert josa("10 에폭", "을") == "10 에폭을"
    assert josa("10에폭", "으로") == "10에폭으로"


def test_signs() -> None:
    assert read_number(-3) == "마이너스 삼"
    assert read_number("+2") == "플러스 이"
    assert read_number("−0.5") == "마이너스 영 점 오"  # U+2212 minus sign
    assert josa(-3, "을") == "-3을"
    assert josa(-0.25, "이") == "-0.25가"
    assert with_particle(-1.0, "은", fmt="+.1f") == "-1.0은"


def test_numpy_and_other_numbers() -> None:
    assert josa(np.int64(7), "이") == "7이"
    assert josa(Fraction(1, 2), "을") == "0.5를"
    assert last_syllable(np.float64(0.5)) == "오"


@pytest.mark.parametrize(
    ("word", "particle", "expected"),
    [
        ("LSTM", "을/를", "LSTM을"),  # 엠
        ("LSTM", "으로", "LSTM으로"),
        ("RNN", "이", "RNN이"),  # 엔
        ("GRU", "을", "GRU를"),  # 지알유
        ("GPU", "와", "GPU와"),
        ("HTML", "로", "HTML로"),  # 엘 (ㄹ takes 로)
        ("BLEU", "을", "BLEU를"),  # 블루
        ("Keras", "을", "Keras를"),  # 케라스
        ("TensorFlow", "으로", "TensorFlow로"),
        ("Adam", "을", "Adam을"),  # 아담
        ("Bahdanau", "과", "Bahdanau와"),
        ("Luong", "과", "Luong과"),
        ("Seq2Seq", "을", "Seq2Seq를"),
        ("AttentionSeq2Seq", "은", "AttentionSeq2Seq는"),
        ("keras.ops", "을", "keras.ops를"),
        ("x", "이", "x가"),  # 엑스
        ("h_t", "은", "h_t는"),  # 티
        ("L", "로", "L로"),  # 엘
        ("M", "으로", "M으로"),  # 엠
        ("GPT-2", "를", "GPT-2를"),
        ("LSTMs", "을", "LSTMs를"),  # 엘에스티엠스
        ("dot", "과", "dot과"),
        ("general", "으로", "general로"),
        ("korean_long_weekday", "을", "korean_long_weekday를"),
        # English spelling rules for words outside the table
        ("frame", "을", "frame을"),  # 프레임
        ("line", "이", "line이"),  # 라인
        ("table", "로", "table로"),  # 테이블
        ("string", "을", "string을"),  # 스트링
        ("vector", "를", "vector를"),  # 벡터
        ("test", "를", "test를"),  # 테스트
        ("cat", "이", "cat이"),  # 캣
        ("logic", "을", "logic을"),  # 로직
        ("sync", "를", "sync를"),  # 싱크
        ("stack", "이", "stack이"),  # 스택
    ],
)
def test_latin_words(word: str, particle: str, expected: str) -> None:
    assert josa(word, particle) == expected


def test_latin_words_the_rules_cannot_read() -> None:
    with pytest.raises(ValueError, match="read_as"):
        josa("boot", "을")
    assert josa("boot", "을", read_as="부트") == "boot를"
    assert josa("book", "을", read_as="북") == "book을"


@pytest.mark.parametrize(
    ("word", "particle", "expected"),
    [
        ("어텐션", "을/를", "어텐션을"),
        ("모델", "으로/로", "모델로"),  # ㄹ
        ("벡터", "으로", "벡터로"),
        ("정확도", "이/가", "정확도가"),
        ("값", "은/는", "값은"),
        ("디코더", "과/와", "디코더와"),
        ("인코더", "이라고", "인코더라고"),
        ("단어", "이다", "단어다"),
        ("문장", "이다/다", "문장이다"),
        ("ㄱ", "을", "ㄱ을"),  # 기역
        ("ㅏ", "을", "ㅏ를"),  # 아
        ("'BLEU'", "를", "'BLEU'를"),
        ("`Keras`", "을", "`Keras`를"),
        ("어텐션(attention)", "을", "어텐션(attention)을"),  # the word before the gloss decides
        ("LSTM(long short-term memory)", "이", "LSTM(long short-term memory)이"),
        ("(12%)", "를", "(12%)를"),
        ("α", "와", "α와"),  # 알파
        ("ε", "와", "ε과"),  # 엡실론
    ],
)
def test_hangul_and_wrapped_text(word: str, particle: str, expected: str) -> None:
    assert josa(word, particle) == expected


def test_final_consonant_and_last_syllable() -> None:
    assert final_consonant(3) == "ㅁ"
    assert final_consonant("BLEU") == ""
    assert final_consonant("모델") == "ㄹ"
    assert last_syllable("0.908") == "팔"
    assert last_syllable("LSTM") == "엠"


@pytest.mark.parametrize("request_form", ["을/를", "를/을", "을", "를", "을(를)", "(을)를"])
def test_particle_accepts_either_form(request_form: str) -> None:
    assert josa(8, request_form) == "8을"
    assert josa(9, request_form) == "9를"


def test_every_pair_round_trips() -> None:
    for consonant_form, vowel_form in PARTICLES:
        assert particle_for("삼", f"{vowel_form}/{consonant_form}") == consonant_form
        assert particle_for("사", consonant_form) == vowel_form


def test_words_table_is_hangul() -> None:
    for word, reading in WORDS.items():
        assert word == word.lower(), word
        assert all("가" <= ch <= "힣" for ch in reading), (word, reading)


@pytest.mark.parametrize(
    ("value", "particle", "message"),
    [
        ("✓", "을", "no Korean reading"),
        ("정답 ✓", "이", "U\\+2713"),
        ("", "을", "nothing to read"),
        ("  ", "을", "nothing to read"),
        ("()", "을", "nothing to read"),
        ("a)", "을", "unbalanced parenthesis"),
        ("3", "의", "unknown particle"),
        ("3", "다", "unknown particle"),  # 다 alone is too easy to confuse with text
        ("3", "", "unknown particle"),
        (float("nan"), "을", "not a finite number"),
        (float("inf"), "을", "not a finite number"),
        (1e-7, "을", "scientific notation"),
        (True, "을", "expected a number or text"),
        (None, "을", "expected a number or text"),
        ([1], "을", "expected a number or text"),
        ("%", "를", "cannot read"),
        ("3.", "을", "no Korean reading"),
    ],
)
def test_bad_input_names_the_problem(value: object, particle: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        josa(value, particle)


def test_bad_arguments_name_the_problem() -> None:
    with pytest.raises(ValueError, match="particle must be a string"):
        josa(3, 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="cannot format"):
        with_particle("abc", "을", fmt=".3f")
    with pytest.raises(ValueError, match="fmt must be a format spec"):
        with_particle(3, "을", fmt=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="read_as must be Hangul"):
        josa("boot", "을", read_as="boot")
    with pytest.raises(ValueError, match="read_as must be Hangul"):
        josa("boot", "을", read_as="  ")
    with pytest.raises(ValueError, match="not a number"):
        read_number("LSTM")
    with pytest.raises(ValueError, match="not a number"):
        read_number("3 apples")
