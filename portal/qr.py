"""QR codes as small inline SVG (segno), for the printed card: no image request, no script,
and it prints sharp at any size."""

from __future__ import annotations

from functools import lru_cache

import segno
from markupsafe import Markup


@lru_cache(maxsize=64)
def qr_svg(address: str, label: str) -> Markup:
    """``address`` as a QR code: one ``<svg>`` path scaled by CSS, named by ``label``.

    Error correction is at least M (segno raises it when the version has room), so a
    creased or smudged card still scans.
    """
    code = segno.make(address, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, svgclass=None, lineclass=None)
    # segno writes a bare <svg viewBox=…>: name it for screen readers.
    head = Markup('<svg class="qr" role="img" aria-label="{}"').format(label)
    # segno writes only numbers and fixed markup after "<svg": nothing to escape.
    return head + Markup(svg[len("<svg"):])
