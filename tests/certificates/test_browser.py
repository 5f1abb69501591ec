"""In a real browser: the learner's certificate, the public verification page, HR's revocation
and the PDF, at 1280 and 375 px. Screenshots go to var/screenshots/certificates-*.png."""

import subprocess
from pathlib import Path

import pytest

from certificates import services
from tests.conftest import service_missing
from tests.factories import PASSWORD, UserFactory

from .conftest import meet_track

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (1280, 375)


def sign_in(browser, live_server, user, width):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("电子邮箱").fill(user.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def no_sideways_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@pytest.fixture
def korean_learner(db):  # type: ignore[no-untyped-def]
    from accounts.roles import LEARNER

    return UserFactory(
        email="minsu@example.com", name="김민수", preferred_language="ko", roles=[LEARNER]
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_a_learner_opens_downloads_and_shares_the_certificate(
    browser, live_server, korean_learner, track, screenshot_dir, width
):
    meet_track(korean_learner)
    [certificate] = services.evaluate_tracks(user=korean_learner)
    context, page = sign_in(browser, live_server, korean_learner, width)

    page.locator(f".home-certificates a[href='{certificate.get_absolute_url()}']").click()
    page.locator(".cert-name", has_text="김민수").wait_for()
    page.screenshot(path=screenshot_dir / f"certificates-page-{width}.png", full_page=True)
    assert no_sideways_scroll(page)

    with page.expect_download() as download_info:
        page.locator(f"a[href$='/{certificate.pk}/badge/']").click()
    assert download_info.value.suggested_filename.endswith(".jwt")
    pdf = page.request.get(f"{live_server.url}/certificates/{certificate.pk}/pdf/")
    assert pdf.headers["content-type"] == "application/pdf"
    save_pdf_pictures(pdf.body(), screenshot_dir, width)

    page.goto(f"{live_server.url}/certificates/")
    page.locator(f".held-title[href='{certificate.get_absolute_url()}']").wait_for()
    assert no_sideways_scroll(page)
    page.screenshot(path=screenshot_dir / f"certificates-mine-{width}.png", full_page=True)

    public = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    visitor = public.new_page()
    visitor.goto(f"{live_server.url}/verify/")
    visitor.locator("input[name=code]").fill(certificate.verify_url)
    visitor.locator("form.verify-form button[type=submit]").click()
    visitor.locator(".verify-valid .verify-name", has_text="김민수").wait_for()
    assert no_sideways_scroll(visitor)
    visitor.screenshot(path=screenshot_dir / f"certificates-verify-{width}.png", full_page=True)
    public.close()
    context.close()


def save_pdf_pictures(data: bytes, folder: Path, width: int) -> None:
    """The PDF as a person sees it, rasterised to the page width."""
    path = folder / f"certificates-pdf-{width}.pdf"
    path.write_bytes(data)
    try:
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-singlefile",
                "-scale-to-x",
                str(width),
                "-scale-to-y",
                "-1",
                str(path),
                str(path.with_suffix("")),
            ],
            check=True,
            timeout=60,
        )
    except FileNotFoundError:
        service_missing("pdftoppm is missing (apt-get install poppler-utils)")
    finally:
        path.unlink()


def test_hr_revokes_and_the_public_page_says_revoked(
    browser, live_server, learner, hr, track, screenshot_dir
):
    meet_track(learner)
    [certificate] = services.evaluate_tracks(user=learner)
    context, page = sign_in(browser, live_server, hr, 1280)

    page.goto(f"{live_server.url}/certificates/hr/")
    page.locator(f"a[href='/certificates/hr/{certificate.pk}/']").click()
    page.locator("textarea[name=reason]").fill("考试时由他人代答，经核实撤销。")
    page.screenshot(path=screenshot_dir / "certificates-hr-revoke-1280.png", full_page=True)
    page.locator("form[action$='/revoke/'] button[type=submit]").click()
    page.locator(".revocation-reason", has_text="由他人代答").wait_for()

    for width in WIDTHS:
        public = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        visitor = public.new_page()
        visitor.goto(certificate.verify_path.join([live_server.url, ""]))
        visitor.locator(".verify-revoked .verify-name", has_text="李小满").wait_for()
        assert "由他人代答" not in visitor.content()
        visitor.screenshot(
            path=screenshot_dir / f"certificates-verify-revoked-{width}.png", full_page=True
        )
        public.close()
    context.close()
