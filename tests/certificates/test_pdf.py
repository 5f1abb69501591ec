"""The PDF prints Chinese and Korean names on a machine with no CJK fonts at all.

Each PDF is rasterised with pdftoppm while fontconfig sees no font, so only what the PDF
embeds can be drawn. A control drawn with ReportLab's non-embedded CID fonts comes out blank
in the same conditions, which proves the fonts really are hidden.
"""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from certificates import pdf as certificate_pdf
from tests.conftest import service_missing
from tests.factories import CertificateFactory, UserFactory

pytestmark = pytest.mark.django_db
DPI = 72


@pytest.fixture(scope="module")
def poppler() -> None:
    for tool in ("pdftoppm", "pdffonts", "pdftotext"):
        if shutil.which(tool) is None:
            service_missing(f"{tool} is missing (apt-get install poppler-utils)")


@pytest.fixture
def no_fonts(tmp_path: Path) -> dict[str, str]:
    """An environment whose fontconfig knows no font at all."""
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    return {"FONTCONFIG_FILE": str(config), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}


def rasterise(data: bytes, env: dict[str, str], dpi: int = DPI) -> Image.Image:
    folder = Path(env["HOME"])
    (folder / "page.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "page.pdf", "page"],
        cwd=folder,
        capture_output=True,
        env=env,
        check=True,
        timeout=60,
    )
    with Image.open(folder / "page.png") as image:
        return image.convert("L")


def name_area(image: Image.Image, dpi: int = DPI) -> Image.Image:
    scale = dpi / 72
    top = (certificate_pdf.PAGE_HEIGHT - certificate_pdf.NAME_BASELINE - 48) * scale
    bottom = (certificate_pdf.PAGE_HEIGHT - certificate_pdf.NAME_BASELINE + 10) * scale
    left, right = 130 * scale, (certificate_pdf.PAGE_WIDTH - 130) * scale
    return image.crop((int(left), int(top), int(right), int(bottom)))


def ink(image: Image.Image) -> int:
    return sum(1 for value in image.get_flattened_data() if value < 128)


def certificate_pdf_for(name: str, language: str) -> bytes:
    user = UserFactory(name=name, preferred_language=language)
    certificate = CertificateFactory(user=user)
    return certificate_pdf.render_certificate_pdf(certificate, language=language)


def control_pdf_with_cid_font(name: str) -> bytes:
    """The name where the certificate puts it, in a CJK font the PDF only names."""
    font = "HYSMyeongJo-Medium" if any("가" <= ch <= "힣" for ch in name) else "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(certificate_pdf.PAGE_WIDTH, certificate_pdf.PAGE_HEIGHT),
        initialFontName=font,
    )
    canvas.setFont(font, 40)
    canvas.drawCentredString(certificate_pdf.PAGE_WIDTH / 2, certificate_pdf.NAME_BASELINE, name)
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "language"), [("김민수", "ko"), ("李小满", "zh-hans")])
def test_the_name_prints_with_no_fonts_installed(poppler, no_fonts, name, language):
    control = name_area(rasterise(control_pdf_with_cid_font(name), no_fonts))
    assert ink(control) == 0, "fonts are not hidden: the control should render blank"

    printed = name_area(rasterise(certificate_pdf_for(name, language), no_fonts))

    assert ink(printed) > 400, "the name area is blank"


def test_names_print_as_their_own_glyphs_not_as_boxes(poppler, no_fonts):
    def crop(name: str) -> Image.Image:
        return name_area(rasterise(certificate_pdf_for(name, "zh-hans"), no_fonts))

    korean, chinese, missing = crop("김민수"), crop("李小满"), crop("\ue000\ue001\ue002")

    # Three .notdef boxes look alike whatever the characters; real glyphs do not.
    assert ink(ImageChops.difference(korean, missing).point(lambda v: 255 - v)) > 300
    assert ink(ImageChops.difference(chinese, missing).point(lambda v: 255 - v)) > 300
    assert ink(ImageChops.difference(korean, chinese).point(lambda v: 255 - v)) > 300


def test_every_font_is_embedded_and_the_text_is_real_text(poppler, tmp_path):
    data = certificate_pdf_for("김민수", "ko")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(data)

    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)

    rows = fonts.stdout.splitlines()[2:]
    assert rows, fonts.stdout
    assert all(" yes yes " in row for row in rows), fonts.stdout  # embedded, subset
    assert all("TrueType" in row for row in rows), fonts.stdout
    assert "김민수" in text.stdout
    assert "전화 예절 인증(1급)" in text.stdout


def test_the_font_covers_the_names_and_titles_it_prints():
    face = pdfmetrics.getFont(certificate_pdf.register_font()).face
    needed = "김민수李小满电话礼仪认证一级전화예절인증급졸업증서"

    assert [ch for ch in needed if ord(ch) not in face.charToGlyph] == []


def test_the_qr_code_leads_to_the_verification_page(poppler, no_fonts):
    if shutil.which("zbarimg") is None:
        service_missing("zbarimg is missing (apt-get install zbar-tools)")
    user = UserFactory(name="李小满")
    certificate = CertificateFactory(user=user)
    image = rasterise(
        certificate_pdf.render_certificate_pdf(certificate, language="zh-hans"), no_fonts, dpi=150
    )
    png = io.BytesIO()
    image.save(png, format="PNG")

    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-"], input=png.getvalue(), capture_output=True, check=True
    )

    assert decoded.stdout.decode().strip() == certificate.verify_url
