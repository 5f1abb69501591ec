"""The document importer on the five seed documents, and on input it must refuse.

Pure Python: runs with `pytest tests/courses/test_importer.py -p no:django`.
"""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.importer import DocumentError, ImportedDocument, parse_document, read_path
from courses.importer.lessons import containment, shingles

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
FIXTURES = Path(__file__).parent / "fixtures"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not found at {SEEDS}")


def seed_path(number: str) -> Path:
    return next(SEEDS.glob(f"{number}_*.txt"))


@functools.cache
def seed(number: str) -> ImportedDocument:
    return read_path(seed_path(number))


def all_text(document: ImportedDocument) -> str:
    return "\n".join(f"{lesson.title}\n{lesson.body_markdown}" for lesson in document.lessons)


def lesson_titled(document: ImportedDocument, title: str):
    return next(lesson for lesson in document.lessons if lesson.title == title)


# --- boilerplate

BANNERS = {
    "000": ["发布于", "2022-05-02", "0 条评论"],
    "001": ["관련 읽기", "조종사 재킷", "다이아몬드 반지", "家庭资产配置", "TPP"],
    "002": ["原创力文档", "book118", "VIP", "版权申诉", "400-050-0827", "文档评论", "查看更多"],
    "003": [
        "上传人",
        "文档编号",
        "下载积分",
        "第1页",
        "共8页",
        ".doc_第",
        "点击查看更多",
        "资源描述",
        "展开阅读全文",
        "VIP",
        "ICP备",
        "公网安备",
        "版权所有",
        "宁波自信",
        "客服电话",
        "关注我们",
        "页脚广告",
        "当前位置",
        "如下无正文",
    ],
    "004": [
        "合集下载",
        "相关文档",
        "最新文档",
        "下载文档前请自行甄别",
        "仅部分预览",
        "Page 1 of 3",
        "店铺搜集整理",
        "希望对你有帮助",
        "感谢您的观看",
    ],
}
WIDGET_LINES = {"发布", "问题", "客服", "收藏", "举报", "01", "02", "03"}


@needs_seeds
@pytest.mark.parametrize("number", sorted(BANNERS))
def test_no_site_banner_survives_in_any_lesson(number: str) -> None:
    document = seed(number)

    text = all_text(document)

    for banner in BANNERS[number]:
        assert banner not in text, f"{number}: {banner!r} survived"
    stray = {line.strip("- ") for line in text.splitlines()} & WIDGET_LINES
    assert not stray
    assert document.dropped.boilerplate_lines > 0


@needs_seeds
@pytest.mark.parametrize("number", sorted(BANNERS))
def test_no_lesson_repeats_another(number: str) -> None:
    document = seed(number)

    bodies = [shingles(lesson.body_markdown) for lesson in document.lessons]

    for first, second in itertools.combinations(range(len(bodies)), 2):
        smaller, larger = sorted((bodies[first], bodies[second]), key=len)
        if len(smaller) >= 12:
            assert containment(smaller, larger) < 0.7, (first, second)
    titles = [lesson.title for lesson in document.lessons]
    assert len(titles) == len(set(titles))
    assert all(lesson.body_markdown.strip() for lesson in document.lessons)


@needs_seeds
def test_the_standard_pasted_several_times_in_004_is_kept_once() -> None:
    document = seed("004")

    copies = [lesson for lesson in document.lessons if "第十四条" in lesson.body_markdown]

    assert len(copies) == 1
    assert "结束电话的礼仪" in copies[0].body_markdown
    assert document.dropped.duplicate_sections >= 5
    assert all_text(document).count("第十一条 保持专业友好声音形象的原则") == 1


@needs_seeds
def test_a_flattened_page_is_split_into_its_numbered_parts() -> None:
    document = seed("003")

    titles = [lesson.title for lesson in document.lessons]

    assert "接听规范" in titles and "接受客户投诉处理流程" in titles
    body = lesson_titled(document, "接听规范").body_markdown
    assert "## 2. 礼仪规定" in body
    assert "- (5)转接时，使用“请稍候”的用语。" in body


# --- structure


@needs_seeds
def test_000_lessons_are_its_numbered_chapters() -> None:
    document = seed("000")

    titles = [lesson.title for lesson in document.lessons]

    assert document.title == "电话接听服务的基本原则"
    assert "电话接听服务的基本程序" in titles  # the answering procedure
    assert "避免以下各种不礼貌现象" in titles  # the rude behaviours to avoid
    assert "转接客人或上司的电话" in titles  # transferring calls
    procedure = lesson_titled(document, "电话接听服务的基本程序")
    assert procedure.source_path == "5、"
    assert procedure.body_markdown.count("\n- ") + procedure.body_markdown.startswith("- ") == 8


@needs_seeds
def test_list_items_are_not_mistaken_for_headings() -> None:
    document = seed("000")

    rude = lesson_titled(document, "避免以下各种不礼貌现象")

    assert "##" not in rude.body_markdown
    assert rude.body_markdown.startswith("- A、无礼。")
    assert not rude.sections


@needs_seeds
def test_002_keeps_its_situation_list() -> None:
    document = seed("002")

    contents = lesson_titled(document, "目录")

    for situation in (
        "遇到客户情绪激动，破口大骂时",
        "遇到骚扰电话时",
        "遇到客户拨错电话时",
        "需要进行话务转接时",
        "电话接通无音时",
    ):
        assert f"- {situation}" in contents.body_markdown or situation in contents.body_markdown
    assert "  - 4、遇到客户情绪激动，破口大骂时" in contents.body_markdown
    assert document.title == "湖北电信10000号客户代表电话服务规范及服务标准"


@needs_seeds
def test_002_sections_carry_their_path_and_phrases() -> None:
    document = seed("002")

    lesson = lesson_titled(document, "每通电话的必用语及基本礼貌用语")
    praise = next(section for section in lesson.sections if section.path == "一、 › 3、")

    assert praise.title == "遇到客户表扬自己时"
    assert "不用谢，这是我们应该做的，" in praise.phrases
    assert "## 3、遇到客户表扬自己时" in lesson.body_markdown


@needs_seeds
def test_001_is_detected_as_korean_with_its_parts() -> None:
    document = seed("001")

    titles = [lesson.title for lesson in document.lessons]
    text = all_text(document)

    assert document.language == "ko"
    assert "응답 규범" in titles and "소통 기교" in titles
    assert "## 3, 응답 규범 (통화 종료)" in text
    assert "## 6, 소통 기교 (고소 처리 기교 -상용 문구)" in text


@needs_seeds
def test_the_language_can_be_overridden() -> None:
    document = read_path(seed_path("000"), language="ko")

    assert document.language == "ko"


def test_an_unknown_language_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_document("您好".encode(), "a.txt", language="ja")


# --- phrases and rules


@needs_seeds
@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("000", ["您好", "对不起，让您久等了。", "请问，您需要我为您做点什么吗？"]),
        ("001", ["죄송합니다. 조금만 기다려 주세요.", "전화 감사합니다, 안녕!"]),
        ("002", ["您好", "对不起，请您留下您的联系电话，我们查询后尽快与您联系，好吗？"]),
        ("003", ["您好，乡野邻家农业科技有限企业", "请问我能帮您什么忙吗？", "请稍候"]),
        ("004", ["中电购物，您好,×××号为您服务，请问有什么可以帮到您？", "我们会尽快为您解决"]),
    ],
)
def test_stock_phrases_are_extracted(number: str, expected: list[str]) -> None:
    document = seed(number)

    phrases = {phrase for lesson in document.lessons for phrase in lesson.phrases}

    for phrase in expected:
        assert phrase in phrases


@needs_seeds
def test_terms_in_quotation_marks_are_not_phrases() -> None:
    phrases = {phrase for lesson in seed("003").lessons for phrase in lesson.phrases}

    assert "三响之内" not in phrases
    assert "责任到我为止" not in phrases


@needs_seeds
def test_phrases_the_document_calls_rude_become_forbid_rules_with_provenance() -> None:
    document = seed("000")

    rules = {rule.phrase: rule.to_json() for rule in document.candidate_rules}
    phrases = {phrase for lesson in document.lessons for phrase in lesson.phrases}

    for rude in (
        "你不报姓名，我是不会给你接转的。",
        "现在没空",
        "随便",
        "声音大点，你说什么？我听不见",
    ):
        assert any(rude in phrase for phrase in rules)
    assert rules["没有来"] == {
        "kind": "forbid",
        "phrase": "没有来",
        "source": {"document": seed_path("000").name, "section": "10、 › L、"},
    }
    assert "他/她暂时不在办公室，有什么事可以代劳呢？" in phrases
    assert "他/她暂时不在办公室，有什么事可以代劳呢？" not in rules
    # The caller's side of a quoted exchange is neither a norm nor a rule.
    assert "我等一会儿再打来吧？" not in rules and "我等一会儿再打来吧？" not in phrases


@needs_seeds
def test_prohibitions_become_draft_rules() -> None:
    korean = {rule.phrase for rule in seed("001").candidate_rules}
    chinese = {rule.phrase for rule in seed("004").candidate_rules}

    assert "고객과 말다툼을 해서는 안 된다" in korean
    assert "严禁与客户通话时使用反问、质问的口气" in chinese
    assert "这个可能有点难办" in chinese  # "用“我们会尽快为您解决”代替“这个可能有点难办”"
    assert not any(rule.startswith("不要忘记") for rule in chinese)


# --- output shape


@needs_seeds
def test_to_json_has_exactly_the_agreed_keys() -> None:
    payload = seed("002").to_json()

    assert set(payload) == {"title", "language", "lessons", "candidate_rules", "dropped"}
    assert {"title", "body_markdown", "phrases"} <= set(payload["lessons"][0])
    assert set(payload["dropped"]) == {"boilerplate_lines", "duplicate_sections"}
    rules = seed("000").to_json()["candidate_rules"]
    assert all(set(rule) == {"kind", "phrase", "source"} for rule in rules)
    assert all(set(rule["source"]) == {"document", "section"} for rule in rules)


@needs_seeds
def test_markdown_escapes_what_would_otherwise_be_markup() -> None:
    body = lesson_titled(seed("000"), "打出电话的程序").body_markdown

    assert "如“\\*先生或\\*小姐，您好" in body


def test_a_document_without_structure_is_one_lesson() -> None:
    text = "接电话时要先问候。\n说话要清楚，语速适中。\n结束时感谢客户来电。\n"

    document = parse_document(text.encode(), "notes.txt")

    assert [lesson.title for lesson in document.lessons] == ["notes"]
    assert "说话要清楚" in document.lessons[0].body_markdown


# --- refused input

REFUSED = [
    (b"", "empty.txt"),
    (b"   \r\n\t  ", "blank.txt"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "photo.txt"),
    (b"\x00\x01\x02\x03" * 100, "data.txt"),
    (bytes([0x80, 0xFF, 0xFE, 0x81, 0x30]) * 60, "legacy.txt"),
    (b"%PDF-1.7\n" + bytes(200), "rules.pdf"),
    (b"PK\x03\x04 not really a zip", "rules.docx"),
    (b"\xd0\xcf\x11\xe0" + bytes(100), "rules.doc"),
    ("发布于 2024-01-01\n0 条评论\n发布\n".encode(), "chrome.txt"),
]


@pytest.mark.parametrize(("data", "name"), REFUSED)
def test_unusable_input_raises_a_one_line_document_error(data: bytes, name: str) -> None:
    with pytest.raises(DocumentError) as raised:
        parse_document(data, name)

    message = str(raised.value)
    assert name in message
    assert "\n" not in message
    assert isinstance(raised.value, ImportError)


def test_an_unreadable_path_raises_a_document_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentError):
        read_path(tmp_path / "missing.txt")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=600),
        st.text(max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass")),
        st.text(
            alphabet='一二三、。：:“”"()（）1234ABC①#- \n您好不要避免안 된다', max_size=300
        ).map(str.encode),
    ),
    name=st.sampled_from(["a.txt", "a.md", "a.html", "a.docx", "a.pdf", "a", "a.bin"]),
)
def test_any_bytes_give_a_document_or_a_document_error(data: bytes, name: str) -> None:
    try:
        document = parse_document(data, name)
    except DocumentError as error:
        assert "\n" not in str(error)
        return

    assert document.lessons
    assert document.to_json()["language"] in ("zh", "ko")


def test_multi_paragraph_list_items_render_as_separate_items() -> None:
    import markdown

    body = next(
        lesson.body_markdown for lesson in seed("000").lessons if "道歉语句" in lesson.body_markdown
    )

    html = markdown.markdown(body)

    apology = html[html.index("道歉语句") :]
    first_item = apology[apology.index("<li>") : apology.index("</li>")]
    assert "A、" in first_item
    assert "B、" not in first_item
