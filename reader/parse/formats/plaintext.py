"""Plain text: paragraphs are separated by blank lines."""

from __future__ import annotations

import re

from ..clean import collapse_spaces, strip_controls
from ...model import Block, BlockKind

_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n+")


def text_to_blocks(text: str) -> list[Block]:
    blocks = []
    for chunk in _BLANK_LINE.split(strip_controls(text).replace("\r\n", "\n")):
        paragraph = collapse_spaces(chunk).strip()
        if paragraph:
            blocks.append(Block(BlockKind.PARAGRAPH, paragraph))
    return blocks
