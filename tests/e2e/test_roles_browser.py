"""Each role signs in through the real login form and lands on its own home page."""

import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 375}


@pytest.mark.parametrize("persona", ["learner", "trainer", "hr"])
def test_each_role_signs_in_and_sees_its_home_page(
    persona, request, browser, live_server, screenshot_dir
):
    user = request.getfixturevalue(persona)
    for label, width in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()

        page.goto(f"{live_server.url}/")
        page.get_by_label("电子邮箱").fill(user.email)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/")

        heading = page.get_by_role("heading", level=1)
        assert user.name in heading.inner_text()
        authoring = page.get_by_role("link", name="打开编写工作台")
        status = page.get_by_role("link", name="查看认证状态")
        assert authoring.count() == (1 if persona == "trainer" else 0)
        assert status.count() == (1 if persona == "hr" else 0)
        # Nothing may overflow sideways on a phone.
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow
        page.screenshot(path=str(screenshot_dir / f"home-{persona}-{label}.png"), full_page=True)
        context.close()


def test_the_language_switcher_changes_the_interface(browser, live_server, learner):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")

    with page.expect_navigation():
        page.get_by_label("语言").select_option("ko")

    assert page.get_by_role("heading", level=1).inner_text() == "로그인"
    with page.expect_navigation():
        page.get_by_label("언어").select_option("en")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    context.close()
