"""What an element's attributes say about how a browser would show it.

Only the few properties that decide whether text is visible, emphasised,
centred or grey: enough to drop hidden watermarks and to recognise captions,
without a CSS engine.
"""

from __future__ import annotations

import re
from functools import lru_cache

_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_COLOR = re.compile(r"(?<![\w-])color\s*:\s*([^;]+)", re.IGNORECASE)
_BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*([^;]+)", re.IGNORECASE)
_BOLD = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)", re.IGNORECASE)
_ITALIC = re.compile(r"font-style\s*:\s*(?:italic|oblique)", re.IGNORECASE)
_CENTERED = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)
_HEX = re.compile(r"#([0-9a-f]{3}|[0-9a-f]{6})\b", re.IGNORECASE)
_RGB = re.compile(r"rgba?\(\s*([0-9]+)\s*,\s*([0-9]+)\s*,\s*([0-9]+)", re.IGNORECASE)
# As browsers read integer attributes: ASCII digits only (str.isdigit also
# takes "²", which int() refuses), and few enough for any real list or size.
_INTEGER = re.compile(r"[+-]?[0-9]{1,9}")

# Named colours a page may use for text it hides on white.
_NAMED = {
    "white": (255, 255, 255), "snow": (255, 250, 250), "ghostwhite": (248, 248, 255),
    "whitesmoke": (245, 245, 245), "ivory": (255, 255, 240), "floralwhite": (255, 250, 240),
    "mintcream": (245, 255, 250), "azure": (240, 255, 255), "aliceblue": (240, 248, 255),
    "seashell": (255, 245, 238), "linen": (250, 240, 230), "honeydew": (240, 255, 240),
    "black": (0, 0, 0), "gray": (128, 128, 128), "grey": (128, 128, 128),
    "silver": (192, 192, 192), "darkgray": (169, 169, 169), "darkgrey": (169, 169, 169),
    "dimgray": (105, 105, 105), "dimgrey": (105, 105, 105), "lightgray": (211, 211, 211),
    "lightgrey": (211, 211, 211), "transparent": (255, 255, 255),
}


@lru_cache(maxsize=512)
def parse_color(value: str) -> tuple[int, int, int] | None:
    value = value.replace("!important", "").strip().lower()
    named = _NAMED.get(value)
    if named:
        return named
    match = _HEX.search(value)
    if match:
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    match = _RGB.search(value)
    if match:
        # More than three digits is past 255 anyway (and int() refuses 4,301).
        return tuple(255 if len(part) > 3 else min(255, int(part)) for part in match.groups())  # type: ignore[return-value]
    return None


def html_integer(value: str | None) -> int | None:
    """The whole number an attribute such as ``start``, ``value`` or ``width`` holds, or None."""
    if not value:
        return None
    value = value.strip()
    return int(value) if _INTEGER.fullmatch(value) else None


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@lru_cache(maxsize=512)
def is_near_white(value: str) -> bool:
    """Text this colour is invisible on a white page (the Mitbbs watermark is #F8F8F8)."""
    rgb = parse_color(value)
    return rgb is not None and _luminance(rgb) >= 0.88


@lru_cache(maxsize=512)
def is_grey(value: str) -> bool:
    """Secondary text: the grey of captions and credits, neither black nor white."""
    rgb = parse_color(value)
    if rgb is None:
        return False
    spread = max(rgb) - min(rgb)
    return spread <= 24 and 0.08 <= _luminance(rgb) < 0.88


@lru_cache(maxsize=1024)
def parse_style(style: str) -> tuple[bool, str | None, str | None, bool, bool, bool]:
    """(hidden, colour, background, bold, italic, centred) from a style attribute."""
    hidden = bool(_DISPLAY_NONE.search(style))
    color = _COLOR.search(style)
    background = _BACKGROUND.search(style)
    return (
        hidden,
        color.group(1) if color else None,
        background.group(1) if background else None,
        bool(_BOLD.search(style)),
        bool(_ITALIC.search(style)),
        bool(_CENTERED.search(style)),
    )
