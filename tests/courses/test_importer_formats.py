"""Every encoding and format the importer accepts gives the same draft as plain UTF-8.

Seed documents are re-encoded here (GBK, Big5, EUC-KR …) rather than stored, so a
mojibake regression shows up as a difference from the UTF-8 import of the same text.
Pure Python: runs with `pytest tests/courses/test_importer_formats.py -p no:django`.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

import opencc
import pytest
from docx import Document

from courses.importer import DocumentError, ImportedDocument, parse_document, read_path
from courses.importer.decoding import decode_bytes

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
FIXTURES = Path(__file__).parent / "fixtures"
CHINESE_SEEDS = ("000", "002", "003", "004")

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not found at {SEEDS}")


def seed_text(number: str) -> str:
    return next(SEEDS.glob(f"{number}_*.txt")).read_text(encoding="utf-8")


def encodable(text: str, encoding: str) -> str:
    """The text without the few characters a legacy encoding lacks (EUC-KR has no 资 …)."""
    return text.encode(encoding, errors="ignore").decode(encoding)


def to_traditional(text: str) -> str:
    return opencc.OpenCC("s2t").convert(text)


def titles(document: ImportedDocument) -> list[str]:
    return [lesson.title for lesson in document.lessons]


def phrases(document: ImportedDocument) -> set[str]:
    return {phrase for lesson in document.lessons for phrase in lesson.phrases}


# --- encodings

ENCODED_SEEDS = [
    *[
        (number, encoding)
        for number in CHINESE_SEEDS
        for encoding in ("utf-8-sig", "utf-16", "utf-16-be", "gb18030", "gbk", "big5")
    ],
    *[("001", encoding) for encoding in ("utf-8-sig", "utf-16", "euc-kr", "cp949")],
]


@needs_seeds
@pytest.mark.parametrize(("number", "encoding"), ENCODED_SEEDS)
def test_a_seed_in_any_supported_encoding_imports_like_utf8(number: str, encoding: str) -> None:
    text = seed_text(number)
    if encoding == "big5":
        text = to_traditional(text)
    text = encodable(text, encoding)
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # Python writes no BOM for an explicit byte order

    imported = parse_document(data, f"{number}.txt")

    expected = parse_document(text.encode("utf-8"), f"{number}.txt")
    assert imported.to_json() == expected.to_json()
    assert len(imported.lessons) >= 2


@needs_seeds
@pytest.mark.parametrize("encoding", ["gb18030", "big5", "utf-16"])
def test_decoding_gives_back_the_exact_text(encoding: str) -> None:
    text = encodable(
        to_traditional(seed_text("000")) if encoding == "big5" else seed_text("000"), encoding
    )

    decoded = decode_bytes(text.encode(encoding), "000.txt")

    assert decoded == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("您好，请问有什么可以帮您？", "gbk"),
        ("您好，請問有什麼可以幫您？", "big5"),
        ("안녕하세요, 무엇을 도와드릴까요?", "euc-kr"),
        ("죄송합니다. 조금만 기다려 주세요.", "cp949"),
    ],
)
def test_a_single_stock_phrase_is_decoded_without_mojibake(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding), "phrase.txt") == text


@pytest.mark.parametrize(
    "name",
    ["greeting_utf8_bom.txt", "greeting_utf16.txt", "greeting_gbk.txt", "greeting_gb18030.txt"],
)
def test_encoded_fixtures_import_like_the_utf8_one(name: str) -> None:
    imported = parse_document((FIXTURES / name).read_bytes(), "greeting.txt")

    expected = parse_document((FIXTURES / "greeting_utf8.txt").read_bytes(), "greeting.txt")
    assert imported.to_json() == expected.to_json()
    assert titles(imported) == ["接听电话", "结束通话"]


def test_the_big5_fixture_reads_as_traditional_chinese() -> None:
    document = read_path(FIXTURES / "greeting_big5.txt")

    assert document.title == "電話禮儀要點"
    assert titles(document) == ["接聽電話", "結束通話"]
    assert document.language == "zh"


@pytest.mark.parametrize(
    "name", ["greeting_ko_euckr.txt", "greeting_ko_cp949.txt", "greeting_ko_utf16.txt"]
)
def test_korean_fixtures_are_detected_and_decoded(name: str) -> None:
    document = read_path(FIXTURES / name)

    assert document.language == "ko"
    assert titles(document) == ["전화 받기", "통화 마치기"]
    assert "안녕하세요, 고객센터입니다. 무엇을 도와드릴까요?" in phrases(document)
    assert [rule.phrase for rule in document.candidate_rules] == [
        "고객보다 먼저 전화를 끊으면 안 된다"
    ]


def test_the_sample_yields_its_stock_phrase_and_forbidden_openers() -> None:
    document = read_path(FIXTURES / "greeting_utf8.txt")

    rules = [rule.phrase for rule in document.candidate_rules]

    assert "您好，客户服务中心，请问有什么可以帮您？" in phrases(document)
    assert rules == ["喂", "有事快说"]
    assert document.candidate_rules[0].source.section == "一、 › 3、"


# --- formats


def seed_as_docx(text: str) -> bytes:
    document = Document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def seed_as_html(text: str) -> bytes:
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line)
    page = f"""<!DOCTYPE html><html><head><meta charset="gbk"><title>文档 - 某文库</title>
<script>track();</script></head><body>
<nav><a href="/">首页</a></nav><header><div>登录 注册</div></header>
<article>{paragraphs}</article>
<div class="share-bar">分享到微信</div><div id="comments">0 条评论</div>
<footer>©2025 某文库 版权所有 浙ICP备2021020529号</footer></body></html>"""
    return page.encode("gbk", errors="ignore")


@needs_seeds
@pytest.mark.parametrize("number", ["000", "001", "002"])
def test_a_seed_saved_as_docx_gives_the_same_lessons(number: str) -> None:
    text = seed_text(number)

    imported = parse_document(seed_as_docx(text), f"{number}.docx")

    expected = parse_document(text.encode("utf-8"), f"{number}.txt")
    assert titles(imported) == titles(expected)
    assert phrases(imported) == phrases(expected)


@needs_seeds
@pytest.mark.parametrize("number", ["000", "002"])
def test_a_seed_saved_as_a_web_page_gives_the_same_lessons_without_the_chrome(number: str) -> None:
    text = encodable(seed_text(number), "gbk")

    imported = parse_document(seed_as_html(text), f"{number}.html")

    expected = parse_document(text.encode("utf-8"), f"{number}.txt")
    assert titles(imported) == titles(expected)
    body = "\n".join(lesson.body_markdown for lesson in imported.lessons)
    for chrome in ("track()", "登录", "分享到微信", "0 条评论", "ICP备", "版权所有"):
        assert chrome not in body


def test_word_automatic_numbering_is_read_as_typed_numbering() -> None:
    document = read_path(FIXTURES / "numbered_rules.docx")

    assert document.title == "电话礼仪要点"
    assert titles(document) == ["接听电话", "结束通话"]
    assert [lesson.source_path for lesson in document.lessons] == ["一、", "二、"]
    assert "- 1\\. 铃响三声之内接听。" in document.lessons[0].body_markdown
    assert "对不起，让您久等了。" in phrases(document)  # from the table


def test_word_heading_styles_become_lessons() -> None:
    document = read_path(FIXTURES / "heading_rules.docx")

    assert document.title == "电话礼仪要点"
    assert titles(document) == ["接听电话", "结束通话"]
    assert [lesson.source_path for lesson in document.lessons] == ["一、", "二、"]


def test_a_web_page_loses_its_navigation_comments_and_footer() -> None:
    document = read_path(FIXTURES / "etiquette_page.html")

    body = "\n".join(lesson.body_markdown for lesson in document.lessons)

    assert document.title == "电话礼仪要点"
    assert titles(document) == ["接听电话", "结束通话"]
    for chrome in ("首页", "下载", "0 条评论", "相关文档", "年终总结", "ICP", "var ad"):
        assert chrome not in body
    assert "您好，客户服务中心，请问有什么可以帮您？" in phrases(document)


def test_markdown_headings_lists_and_front_matter_are_understood() -> None:
    document = read_path(FIXTURES / "etiquette_notes.md")

    assert document.title == "电话礼仪要点"
    assert titles(document) == ["接听电话", "结束通话"]
    assert "- 铃响三声之内接听。" in document.lessons[0].body_markdown
    assert "**" not in document.lessons[0].body_markdown
    assert [rule.phrase for rule in document.candidate_rules] == ["喂"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty"),
        ("not_text.bin", "PNG"),
        ("undecodable.txt", "encoding"),
        ("only_boilerplate.txt", "boilerplate"),
    ],
)
def test_fixtures_the_importer_must_refuse(name: str, reason: str) -> None:
    with pytest.raises(DocumentError, match=reason):
        read_path(FIXTURES / name)
