"""QR codes for the verification URL: dark-module runs drawn on the PDF and as inline SVG."""

import itertools

from django.utils.html import escape
from reportlab.graphics.barcode import qrencoder

# Error correction M survives a crease or a coffee stain on a printed certificate.
LEVEL = "M"
QUIET_ZONE = 2


def _modules(value: str) -> list[list[bool]]:
    code = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, LEVEL))
    code.addData(value)
    code.make()
    return [[bool(cell) for cell in row] for row in code.modules]


def qr_runs(value: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The side in modules (quiet zone included) and each horizontal run of dark modules as
    (column, row, length), rows counted from the top."""
    modules = _modules(value)
    runs = []
    for row_index, row in enumerate(modules):
        column = 0
        for dark, cells in itertools.groupby(row):
            count = len(list(cells))
            if dark:
                runs.append((column + QUIET_ZONE, row_index + QUIET_ZONE, count))
            column += count
    return len(modules) + 2 * QUIET_ZONE, runs


def qr_svg(value: str, label: str) -> str:
    """Compact inline SVG (one path) scaled by CSS; `label` is its accessible name."""
    side, runs = qr_runs(value)
    path = "".join(f"M{x} {y}h{length}v1h-{length}z" for x, y, length in runs)
    return (
        f'<svg class="qr" viewBox="0 0 {side} {side}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" shape-rendering="crispEdges">'
        f'<rect width="{side}" height="{side}" fill="#fff"/>'
        f'<path fill="#000" d="{path}"/></svg>'
    )
