"""The certificate as a PDF, with a TrueType CJK font embedded so it prints anywhere.

ReportLab's built-in CID fonts (STSong-Light, HYSMyeongJo-Medium) are only referenced, not
embedded: on a machine without CJK fonts every character would be an empty box. We embed a
subset of WenQuanYi Micro Hei (TrueType outlines, Chinese and all 11,172 Hangul syllables),
installed as a Python package so no font file lives in the repository.
"""

from __future__ import annotations

import io
from functools import lru_cache
from importlib import resources
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from . import eligibility
from .models import Certificate
from .qr import qr_runs

FONT_NAME = "CourtesyCJK"
FONT_PACKAGE = "paperang_p2_fonts_cjk"
FONT_FILE = "fonts/wqy-microhei.ttc"
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
BRAND = HexColor("#b3261e")
INK = HexColor("#1d2430")
MUTED = HexColor("#5b6678")
LINE = HexColor("#dde2ea")
# Where the learner's name is centred (the glyph test crops around it).
NAME_BASELINE = PAGE_HEIGHT - 250
NAME_MAX_WIDTH = PAGE_WIDTH - 260


def font_path() -> Path:
    """The TrueType collection to embed: COURTESY_CERTIFICATE_FONT, else the font package's."""
    configured = getattr(settings, "COURTESY_CERTIFICATE_FONT", "")
    if configured:
        return Path(configured)
    try:
        return Path(str(resources.files(FONT_PACKAGE).joinpath(FONT_FILE)))
    except ModuleNotFoundError as exc:
        raise ImproperlyConfigured(
            f"the certificate font package {FONT_PACKAGE!r} is not installed (make setup)"
        ) from exc


@lru_cache(maxsize=1)
def register_font() -> str:
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_path()), subfontIndex=0))
    return FONT_NAME


def _fitted_size(text: str, largest: float, smallest: float, width: float) -> float:
    size = largest
    while size > smallest and pdfmetrics.stringWidth(text, FONT_NAME, size) > width:
        size -= 1
    return size


def _centred(canvas: Canvas, text: str, y: float, size: float, color: object = INK) -> None:
    canvas.setFillColor(color)
    canvas.setFont(FONT_NAME, size)
    canvas.drawCentredString(PAGE_WIDTH / 2, y, text)


def _bold_centred(canvas: Canvas, text: str, y: float, size: float, color: object) -> None:
    """The font has one weight: stroke the outline as well as filling it for a bold look."""
    canvas.saveState()
    canvas.setStrokeColor(color)
    canvas.setLineWidth(size / 40)
    text_object = canvas.beginText()
    text_object.setTextRenderMode(2)
    text_object.setFont(FONT_NAME, size)
    width = pdfmetrics.stringWidth(text, FONT_NAME, size)
    text_object.setTextOrigin((PAGE_WIDTH - width) / 2, y)
    canvas.setFillColor(color)
    text_object.textOut(text)
    canvas.drawText(text_object)
    canvas.restoreState()


def _frame(canvas: Canvas) -> None:
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(3)
    canvas.rect(24, 24, PAGE_WIDTH - 48, PAGE_HEIGHT - 48)
    canvas.setLineWidth(0.8)
    canvas.rect(32, 32, PAGE_WIDTH - 64, PAGE_HEIGHT - 64)


def _brand(canvas: Canvas) -> None:
    top = PAGE_HEIGHT - 92
    canvas.setFillColor(BRAND)
    canvas.roundRect(PAGE_WIDTH / 2 - 80, top, 34, 34, 6, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#ffffff"))
    canvas.setFont(FONT_NAME, 22)
    canvas.drawCentredString(PAGE_WIDTH / 2 - 63, top + 9, "礼")
    canvas.setFillColor(INK)
    canvas.setFont(FONT_NAME, 18)
    canvas.drawString(PAGE_WIDTH / 2 - 38, top + 10, "Courtesy 礼声")


def score_lines(certificate: Certificate) -> list[str]:
    lines = []
    for item in certificate.score_summary:
        if item.get("kind") == "lessons":
            lines.append(
                _("%(label)s: %(done)s of %(total)s lessons read")
                % {"label": item["label"], "done": item["done"], "total": item["total"]}
            )
        elif item.get("score") is not None:
            lines.append(
                _("%(label)s: %(score)s%% (pass mark %(needed)s%%)")
                % {"label": item["label"], "score": item["score"], "needed": item["needed"]}
            )
        else:
            lines.append(_("%(label)s: passed") % {"label": item["label"]})
    return lines


def _details(canvas: Canvas, certificate: Certificate, language: str) -> None:
    # Dates as the site's time zone sees them, like the web page.
    issued = eligibility.format_date(timezone.localdate(certificate.issued_at), language)
    expires = eligibility.format_date(timezone.localdate(certificate.expires_at), language)
    rows = [
        (_("Serial number"), certificate.serial or ""),
        (_("Issued"), issued),
        (_("Valid until"), expires),
    ]
    y = 190
    for label, value in rows:
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT_NAME, 10)
        canvas.drawString(70, y, label)
        canvas.setFillColor(INK)
        canvas.setFont(FONT_NAME, 12)
        canvas.drawString(170, y, value)
        y -= 22
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT_NAME, 10)
    canvas.drawString(70, y - 6, _("Results"))
    canvas.setFillColor(INK)
    for line in score_lines(certificate)[:4]:
        size = _fitted_size(line, 11, 7, PAGE_WIDTH - 420)
        canvas.setFont(FONT_NAME, size)
        canvas.drawString(170, y - 6, line)
        y -= 17


def _verification(canvas: Canvas, certificate: Certificate) -> None:
    size = 112
    x, y = PAGE_WIDTH - 70 - size, 64
    side, runs = qr_runs(certificate.verify_url)
    module = size / side
    canvas.setFillColor(HexColor("#000000"))
    for column, row, length in runs:
        top = y + size - row * module
        canvas.rect(x + column * module, top - module, length * module, module, stroke=0, fill=1)
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT_NAME, 9)
    canvas.drawCentredString(x + size / 2, y + size + 6, _("Scan to verify"))
    url = certificate.verify_url
    canvas.setFont(FONT_NAME, _fitted_size(url, 8, 5, PAGE_WIDTH - 140))
    canvas.drawRightString(PAGE_WIDTH - 70, 46, url)


def render_certificate_pdf(certificate: Certificate, *, language: str) -> bytes:
    """The certificate in `language` (zh-hans, ko or en), on one landscape A4 page."""
    register_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), initialFontName=FONT_NAME)
    with translation.override(language):
        track_title = certificate.track_title_in(language)
        canvas.setTitle(f"{track_title} · {certificate.learner_name}")
        canvas.setAuthor("Courtesy 礼声")
        canvas.setSubject(certificate.serial or "")
        _frame(canvas)
        _brand(canvas)
        _bold_centred(canvas, _("Certificate"), PAGE_HEIGHT - 150, 30, BRAND)
        _centred(canvas, _("This certifies that"), PAGE_HEIGHT - 190, 13, MUTED)
        name_size = _fitted_size(certificate.learner_name, 40, 16, NAME_MAX_WIDTH)
        _bold_centred(canvas, certificate.learner_name, NAME_BASELINE, name_size, INK)
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(1)
        canvas.line(200, NAME_BASELINE - 14, PAGE_WIDTH - 200, NAME_BASELINE - 14)
        _centred(canvas, _("has met every requirement of"), NAME_BASELINE - 42, 13, MUTED)
        title_size = _fitted_size(track_title, 24, 12, PAGE_WIDTH - 200)
        _bold_centred(canvas, track_title, NAME_BASELINE - 80, title_size, BRAND)
        _details(canvas, certificate, language)
        _verification(canvas, certificate)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
