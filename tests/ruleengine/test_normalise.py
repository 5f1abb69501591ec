"""Normalisation: what counts as the same words, and the map back to the original."""

from __future__ import annotations

import unicodedata

import pytest

from ruleengine import normalise
from ruleengine.language import split_sentences


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("ＡＢＣ１２３", "abc123"),
        ("您好，请问有什么可以帮您？", "您好请问有什么可以帮您"),
        ("Sorry, I'm SORRY!", "sorryimsorry"),
        ("您\u200b好\u200d\ufeff", "您好"),
        ("甚麼", "什么"),
        ("什麼", "什么"),
        ("對不起", "对不起"),
        ("妳好", "你好"),
        ("죄송 합니다", "죄송합니다"),
        ("  \t\n", ""),
        ("😊您好🙏", "您好"),
    ],
)
def test_it_folds_width_case_script_spacing_and_punctuation(original: str, expected: str) -> None:
    assert normalise(original).text == expected


def test_decomposed_hangul_is_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "죄송합니다")

    result = normalise(decomposed)

    assert result.text == "죄송합니다"
    assert result.to_original(0, 5) == (0, len(decomposed))
    assert result.to_original(1, 2) == (2, 5)  # 죄 is two jamo, 송 three


def test_compatibility_jamo_stay_letters() -> None:
    assert normalise("ㅋㅋ 네").text == "ㅋㅋ네"


def test_offsets_point_back_into_the_original() -> None:
    original = "  您 好，請問\u200b甚麼事？"

    result = normalise(original)

    assert result.text == "您好请问什么事"
    start, end = result.to_original(4, 6)
    assert original[start:end] == "甚麼"
    start, end = result.to_original(0, 2)
    assert original[start:end] == "您 好"


def test_expanding_characters_map_to_their_source() -> None:
    original = "㈱ﬁle"  # ㈱ → (株) and ﬁ → fi

    result = normalise(original)

    assert result.text == "株file"
    assert result.to_original(0, 1) == (0, 1)
    assert result.to_original(1, 3) == (1, 2)


def test_combining_marks_compose_with_their_base() -> None:
    result = normalise("cafe\u0301!")

    assert result.text == "café"
    assert result.to_original(3, 4) == (3, 5)


def test_lone_surrogates_and_controls_are_dropped() -> None:
    assert normalise("您\ud800好\x00\x07").text == "您好"


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("您好。请问有什么可以帮您？", ["您好", "请问有什么可以帮您"]),
        ("稍等！马上就好……谢谢；再见", ["稍等", "马上就好", "谢谢", "再见"]),
        ("价格是3.5元. 好的", ["价格是35元", "好的"]),
        ("안녕하세요. 무엇을 도와드릴까요?", ["안녕하세요", "무엇을도와드릴까요"]),
        ("第一行\n第二行", ["第一行", "第二行"]),
        ("。。。您好", ["您好"]),
    ],
)
def test_sentences_end_at_cjk_and_ascii_punctuation(text: str, sentences: list[str]) -> None:
    normalised = normalise(text)

    pieces = [normalised.text[start:end] for start, end, _ in split_sentences(normalised)]

    assert pieces == sentences


def test_a_question_mark_marks_its_sentence() -> None:
    normalised = normalise("您好。可以吗？好的")

    assert [asked for _, _, asked in split_sentences(normalised)] == [False, True, False]
