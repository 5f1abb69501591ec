"""In a real browser, as HR: the status board, uploading new hires (a file with errors, then a
good one), filtering and exporting, a learner's page and the audit log, at 1280 and 375 px.
Screenshots go to var/screenshots/hr-*.png."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as account_services
from tests.certificates.conftest import take_quiz
from tests.factories import PASSWORD, CohortFactory, DepartmentFactory
from tests.hr.conftest import certify, enrol, open_a_lesson

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (1280, 375)

BAD_FILE = (
    "姓名,邮箱,工号,部门,入职日期,认证\n"
    "周杰,zhou.jie@example.com,20031,客服一部,2026-03-02,电话礼仪认证(一级)\n"
    "吴倩,wu.qian@example,20032,客服一部,2026-03-02,电话礼仪认证(一级)\n"
    "郑浩,zheng.hao@example.com,20033,客服五部,2026-02-30,电话礼仪认证(二级)\n"
    "孙丽,zhou.jie@example.com,20034,客服二部,2026-03-02,电话礼仪认证(一级)\n"
)
GOOD_FILE = (
    "姓名,邮箱,工号,部门,入职日期,认证\n"
    "周杰,zhou.jie@example.com,20031,客服一部,2026-03-02,电话礼仪认证(一级)\n"
    "吴倩,wu.qian@example.com,20032,客服一部,2026-03-02,电话礼仪认证(一级)\n"
    "郑浩,zheng.hao@example.com,20033,客服二部,2026-03-09,电话礼仪认证(一级)\n"
)


@pytest.fixture
def organisation(track, hr):  # type: ignore[no-untyped-def]
    """Three departments and two cohorts of people in every status, certified over months."""
    now = timezone.now()
    today = timezone.localdate(now)
    teams = [
        DepartmentFactory(code="service-1", name="客服一部"),
        DepartmentFactory(code="service-2", name="客服二部"),
        DepartmentFactory(code="vip", name="VIP 专线"),
    ]
    cohorts = [CohortFactory(name="2026年1月入职"), CohortFactory(name="2026年2月入职")]
    names = [
        *("王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周敏", "吴磊"),
        *("徐静", "孙洋", "马超", "朱丽", "胡军", "郭涛", "何平", "高翔", "林琳", "罗斌"),
    ]
    people = []
    for index, name in enumerate(names):
        person = enrol(
            name,
            track,
            department=teams[index % 3],
            cohort=cohorts[index % 2] if index % 5 else None,
            due=today + timedelta(days=(index % 6) * 9 - 20),
            email=f"staff{index:02d}@example.com",
        )
        person.employee_number = f"10{index:03d}"
        person.save()
        people.append(person)
        if index % 3 == 0:
            open_a_lesson(person)
        if index % 4 == 1:
            take_quiz(person, 55 + index)
        if index % 3 == 1:
            issued = now - timedelta(days=25 * index)
            certify(person, track, issued=issued, expires=issued + timedelta(days=365))
    certify(
        people[5],
        track,
        issued=now - timedelta(days=60),
        expires=now + timedelta(days=300),
        revoked_at=now - timedelta(days=2),
        revocation_reason="考试作弊",
        revoked_by=hr,
    )
    return people


def sign_in(browser, live_server, user, width):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def no_sideways_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def upload(page, tmp_path, text: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "三月新员工.csv"
    path.write_text(text, encoding="utf-8-sig")
    page.locator("input[name=file]").set_input_files(str(path))
    page.locator("input[name=cohort]").fill("2026年3月入职")
    page.locator("form[enctype] button[type=submit]").click()
    page.locator(".preview-verdict").wait_for()


@pytest.mark.parametrize("width", WIDTHS)
def test_hr_enrols_new_hires_and_follows_them_up(
    browser, live_server, hr, organisation, screenshot_dir, tmp_path, width, monkeypatch
):
    from accounts import tasks

    monkeypatch.setattr(
        tasks.send_invitation,
        "delay",
        lambda pk: account_services.send_invitation(invitation_id=pk),
    )
    context, page = sign_in(browser, live_server, hr, width)

    page.goto(f"{live_server.url}/hr/")
    page.locator(".status-cards").wait_for()
    assert no_sideways_scroll(page)
    page.screenshot(path=screenshot_dir / f"hr-dashboard-{width}.png", full_page=True)

    page.locator("a[href='/people/enrol/']").first.click()
    upload(page, tmp_path, BAD_FILE)
    assert page.locator("tr.has-errors").count() == 4  # the duplicate e-mail: both rows
    assert page.locator("form[action$='/confirm/']").count() == 0
    assert no_sideways_scroll(page)
    page.screenshot(path=screenshot_dir / f"hr-upload-errors-{width}.png", full_page=True)

    page.goto(f"{live_server.url}/people/enrol/")
    upload(page, tmp_path, GOOD_FILE)
    page.locator("form[action$='/confirm/'] button").click()
    page.locator(".preview-verdict.is-ok").wait_for()
    page.locator(".preview-verdict a.btn-primary").first.click()
    page.locator(".people-table").wait_for()
    assert page.locator(".people-table tbody tr").count() == 3
    assert "周杰" in page.locator(".people-table").inner_text()

    page.goto(f"{live_server.url}/hr/")
    page.locator("#f-department").select_option(label="客服二部")
    page.locator("#f-status").select_option("overdue")
    page.locator("form.hr-filters button[type=submit]").click()
    page.wait_for_url("**status=overdue**")
    overdue_rows = page.locator(".people-table tbody tr")
    assert overdue_rows.count() >= 1
    with page.expect_download() as download:
        page.locator("a[href*='/hr/status.csv']").click()
    assert download.value.suggested_filename.endswith(".csv")
    exported = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert len(exported) == 1 + overdue_rows.count()

    page.goto(f"{live_server.url}/hr/")
    page.locator("#f-q").fill("10001")  # an employee number: 李娜, certified after a quiz
    page.locator("form.hr-filters button[type=submit]").click()
    page.locator(".people-table td.col-name a", has_text="李娜").click()
    page.locator(".learner-head").wait_for()
    assert "李娜" in page.locator("h1").inner_text()
    assert no_sideways_scroll(page)
    page.screenshot(path=screenshot_dir / f"hr-learner-{width}.png", full_page=True)

    page.goto(f"{live_server.url}/certificates/hr/audit/")
    page.locator(".audit-table").wait_for()
    assert "people.enrolled" in page.locator(".audit-table").inner_text()
    assert no_sideways_scroll(page)
    page.screenshot(path=screenshot_dir / f"hr-audit-log-{width}.png", full_page=True)
    context.close()
