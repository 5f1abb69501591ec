"""A trainer works in the studio in a real browser: tries a reply as they type, calibrates with a
spreadsheet, writes a question with its preview, and previews an imported document."""

from pathlib import Path

import pytest
from django.urls import reverse

from scenarios.content import load_rule_packs, load_scenarios
from studio.services import start_rule_draft
from tests.factories import PASSWORD

from .conftest import POLICY_DOCUMENT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTENT = Path(__file__).resolve().parents[2] / "content"
WIDTHS = {"desktop": 1280, "phone": 375}
MARKED = """scenario,language,text,acceptable
customer-cursing,zh,非常抱歉给您带来不便，我理解您的心情，请您慢慢说，我马上帮您查。,yes
customer-cursing,zh,你骂谁呢？爱打不打。,no
customer-cursing,zh,请您冷静一下，我来帮您处理。,yes
customer-cursing,zh,抱歉。,yes
opening-greeting,zh,您好，安心保险客服中心，请问有什么可以帮您？,yes
opening-greeting,zh,喂？说吧。,no
opening-greeting,zh,你好，有事吗？,是
nowhere,zh,x,yes
"""


def sign_in(page, base_url: str, user) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("电子邮箱").fill(user.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")


def zh(msgid: str) -> str:
    """A button's label as the Chinese interface shows it."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def no_sideways_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@pytest.fixture
def studio(browser, live_server, trainer):  # type: ignore[no-untyped-def]
    load_scenarios(CONTENT)
    load_rule_packs(CONTENT)
    draft = start_rule_draft(actor=trainer, title="更严格的致歉")
    pages = []
    for label, width in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()
        sign_in(page, live_server.url, trainer)
        pages.append((label, page))
    yield live_server.url, draft, pages
    for _label, page in pages:
        page.context.close()


def test_the_rule_editor_grades_a_reply_as_it_is_typed(studio, screenshot_dir):
    base, draft, pages = studio
    for label, page in pages:
        url = reverse(
            "studio:draft-file", kwargs={"pk": draft.pk, "filename": "zh/customer-cursing.yaml"}
        )
        page.goto(f"{base}{url}")
        page.select_option("#id_try-scenario", "customer-cursing")
        page.locator("#id_try-text").press_sequentially(
            "你骂谁呢？非常抱歉，我马上帮您处理。", delay=20
        )

        page.locator("#try-result .verdict").wait_for(timeout=5000)
        assert "骂谁" in page.locator("#try-result mark.hit-bad").first.inner_text()
        assert page.locator("#try-result mark.hit-good").count() >= 1
        assert page.locator(".code-editor .gutter").is_visible()
        assert no_sideways_scroll(page)
        page.screenshot(
            path=str(screenshot_dir / f"studio-rule-editor-{label}.png"), full_page=True
        )


def test_a_broken_rule_file_shows_its_problem_beside_the_line(studio, screenshot_dir):
    base, draft, pages = studio
    label, page = pages[0]
    url = reverse(
        "studio:draft-file", kwargs={"pk": draft.pk, "filename": "zh/customer-cursing.yaml"}
    )
    page.goto(f"{base}{url}")
    text = page.locator("#id_text").input_value()
    page.locator("#id_text").fill(text.replace("severity: critical", "severity: high", 1))
    page.get_by_role("button", name=zh("Save and check")).click()

    page.locator(".issue").first.wait_for()
    assert "severity must be critical, major or minor" in page.locator(".issue").first.inner_text()
    assert page.locator(".gutter .has-issue").count() == 1
    page.screenshot(path=str(screenshot_dir / f"studio-rule-problem-{label}.png"))


def test_calibrating_with_marked_replies_shows_the_report(studio, screenshot_dir, tmp_path):
    base, draft, pages = studio
    marked = tmp_path / "marked.csv"
    marked.write_text(MARKED, encoding="utf-8")
    for label, page in pages:
        page.goto(f"{base}{reverse('studio:draft-calibrate', args=[draft.pk])}")
        page.set_input_files("#id_file", str(marked))
        page.get_by_role("button", name=zh("Upload and compare")).click()

        page.wait_for_url(f"{base}/studio/rules/calibrations/*/")
        assert page.locator(".stat-value").first.inner_text().endswith("%")
        assert page.locator(".disagreement").count() >= 1
        assert "unknown scenario" in page.locator(".issue").first.inner_text()
        assert no_sideways_scroll(page)
        page.screenshot(
            path=str(screenshot_dir / f"studio-calibration-{label}.png"), full_page=True
        )


def test_writing_a_question_shows_it_as_the_learner_will(studio, screenshot_dir):
    base, _draft, pages = studio
    for label, page in pages:
        query = "?scenario=customer-cursing&language=zh&type=acceptable-replies"
        page.goto(f"{base}{reverse('studio:question-new')}{query}")
        page.locator("#id_prompt").fill("客户骂了几句，也说出了问题。下面哪些回应可以接受？")
        options = [
            ("真的很抱歉，我先帮您查一下线路情况，好吗？", True),
            ("您再骂我就挂了。", False),
            ("我理解您很着急，请您慢慢说。", True),
        ]
        for index, (text, correct) in enumerate(options):
            page.locator(f"#id_items-{index}-text").fill(text)
            page.locator(f"#id_items-{index}-explanation").fill("说明")
            if correct:
                page.locator(f"#id_items-{index}-correct").check()
        page.locator("#id_source").fill("002 四.4")

        page.locator("#preview .choice").nth(2).wait_for(timeout=5000)
        preview = page.locator("#preview").inner_html()
        assert "说明" not in preview and "checked" not in preview
        assert no_sideways_scroll(page)
        page.screenshot(
            path=str(screenshot_dir / f"studio-question-editor-{label}.png"), full_page=True
        )


def test_an_uploaded_document_is_previewed_before_it_is_stored(studio, screenshot_dir, tmp_path):
    base, _draft, pages = studio
    document = tmp_path / "投诉电话处理规范.md"
    document.write_bytes(POLICY_DOCUMENT)
    for label, page in pages:
        page.goto(f"{base}{reverse('studio:imports')}")
        page.set_input_files("#id_file", str(document))
        page.get_by_role("button", name=zh("Preview")).click()

        page.wait_for_url(f"{base}/studio/imports/uploads/*/")
        assert page.get_by_role("heading", name="投诉电话处理规范").is_visible()
        assert page.locator("q", has_text="这不归我管").is_visible()
        assert no_sideways_scroll(page)
        page.screenshot(
            path=str(screenshot_dir / f"studio-import-preview-{label}.png"), full_page=True
        )


def test_a_lesson_is_edited_beside_its_live_preview(studio, trainer, screenshot_dir):
    from studio.services import accept_upload, keep_upload

    base, _draft, pages = studio
    kept, _document = keep_upload(
        data=POLICY_DOCUMENT, filename="投诉电话处理规范.md", language="auto", actor=trainer
    )
    module = accept_upload(upload=kept, course=None, actor=trainer).module
    lesson = module.lessons.get(title="接听")
    for label, page in pages:
        page.goto(f"{base}{reverse('studio:module', args=[module.pk])}")
        assert page.locator(".review-item").count() >= 1
        assert no_sideways_scroll(page)
        page.screenshot(path=str(screenshot_dir / f"studio-module-{label}.png"), full_page=True)

        page.goto(f"{base}{reverse('studio:lesson', args=[lesson.pk])}")
        page.locator("#id_body_markdown").fill(
            "## 三声之内接听\n\n- 先问候：**您好**\n- 报部门名称\n\n<script>alert(1)</script>"
        )

        page.locator("#lesson-preview h2", has_text="三声之内接听").wait_for(timeout=5000)
        assert page.locator("#lesson-preview strong").inner_text() == "您好"
        assert page.locator("#lesson-preview script").count() == 0
        assert no_sideways_scroll(page)
        page.screenshot(
            path=str(screenshot_dir / f"studio-lesson-editor-{label}.png"), full_page=True
        )
