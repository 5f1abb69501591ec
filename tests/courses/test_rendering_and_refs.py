"""Lesson bodies are sanitised; other apps find lessons by "course/module/lesson" refs."""

import pytest

from courses.rendering import render_markdown
from courses.services import lesson_for_ref, lesson_url_for_ref
from tests.factories import LessonFactory

from .conftest import ZH_COURSE

HOSTILE = """
## 标题

<script>alert("x")</script>

<img src="x.png" onerror="alert(1)">

<p onclick="steal()">点我</p>

[看这里](javascript:alert(1)) and <a href="JaVaScRiPt:alert(2)">这里</a>
and <a href="https://example.com/rules">规范</a>
"""


def test_script_tags_are_removed_with_their_content():
    html = render_markdown(HOSTILE)

    assert "<script" not in html
    assert "alert(&quot;x&quot;)" not in html and 'alert("x")' not in html


def test_event_handler_attributes_are_stripped():
    html = render_markdown(HOSTILE)

    assert "onerror" not in html
    assert "onclick" not in html
    assert "点我" in html


def test_javascript_links_lose_their_href_but_web_links_keep_it():
    html = render_markdown(HOSTILE)

    assert "javascript:" not in html.lower()
    assert 'href="https://example.com/rules"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_markdown_still_renders_headings_lists_and_tables():
    html = render_markdown("# 大标题\n\n- 一\n- 二\n\n| 说 | 不说 |\n|---|---|\n| 您好 | 喂 |\n")

    assert "<h2>大标题</h2>" in html  # the page title is the only h1
    assert "<li>一</li>" in html
    assert "<td>您好</td>" in html


@pytest.mark.django_db
def test_a_ref_finds_a_published_bundled_lesson(bundled_courses):
    ref = f"{ZH_COURSE}/complaints/02-abusive-callers"

    lesson = lesson_for_ref(ref)

    assert lesson is not None and lesson.ref == ref
    assert lesson_url_for_ref(ref) == f"/courses/{ZH_COURSE}/complaints/02-abusive-callers/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ref",
    ["", "nope", f"{ZH_COURSE}/complaints", f"{ZH_COURSE}/complaints/no-such-lesson", "a/b/c/d"],
)
def test_a_ref_to_nothing_gives_none(bundled_courses, ref):
    assert lesson_for_ref(ref) is None
    assert lesson_url_for_ref(ref) is None


@pytest.mark.django_db
def test_a_ref_to_an_unpublished_lesson_gives_none():
    draft = LessonFactory(is_published=False)
    in_draft_module = LessonFactory(module__is_published=False)

    assert lesson_url_for_ref(draft.ref) is None
    assert lesson_for_ref(in_draft_module.ref) is None
