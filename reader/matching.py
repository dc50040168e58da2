"""Where a query matches inside one text, in the text's own offsets, and the passage to show.

Matching happens on folded text (normalize.fold); the spans it reports are
mapped back to the original characters so that highlighting lands on what the
user reads, punctuation and all.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .normalize import fold, folded_with_offsets

_SENTENCE_END = re.compile(r"[。！？!?；;…\n]+[”’」』）)]*")
_LONGEST_SENTENCE = 160  # characters; longer ones are shown as a window around the match
_WINDOW = 60


def allowed_edits(length: int) -> int:
    """Characters that may be wrong, missing or extra in a query of ``length`` folded characters."""
    if length < 4:
        return 0
    return 1 if length < 12 else 2


def cutoff_for(length: int) -> float:
    """The lowest partial_ratio that ``allowed_edits`` substitutions still reach."""
    # The margin absorbs float rounding: rapidfuzz's extract compares its own
    # float against this, and 83.33… for 6 characters must pass.
    return 100.0 * (1 - allowed_edits(length) / length) - 0.01


def match_spans(text: str, folded_query: str, *, exact_only: bool = False) -> list[tuple[int, int]]:
    """Character ranges of ``text`` that match; [] when it does not match."""
    if not folded_query:
        return []
    folded, offsets = folded_with_offsets(text)
    if not folded:
        return []
    found: list[tuple[int, int]] = []
    start = folded.find(folded_query)
    while start != -1:
        found.append((start, start + len(folded_query)))
        start = folded.find(folded_query, start + len(folded_query))
    if not found and not exact_only and allowed_edits(len(folded_query)):
        if len(folded) < len(folded_query):
            # A text shorter than the query matches as a whole or not at all.
            if fuzz.ratio(folded_query, folded) < cutoff_for(len(folded_query)):
                return []
            for operation in Indel.opcodes(folded_query, folded):
                if operation.tag == "equal":
                    found.append((operation.dest_start, operation.dest_end))
            return _merge(text, [(offsets[start], offsets[end - 1] + 1) for start, end in found])
        alignment = fuzz.partial_ratio_alignment(folded_query, folded, score_cutoff=cutoff_for(len(folded_query)))
        if alignment is not None and alignment.score:
            # Widen the aligned window by the edits allowed: partial_ratio picks
            # a window as long as the query, which can cut off a matched edge.
            slack = allowed_edits(len(folded_query))
            left = max(0, alignment.dest_start - slack)
            window = folded[left:alignment.dest_end + slack]
            for operation in Indel.opcodes(folded_query, window):
                if operation.tag == "equal":
                    found.append((left + operation.dest_start, left + operation.dest_end))
    return _merge(text, [(offsets[start], offsets[end - 1] + 1) for start, end in found])


def _merge(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    # Join spans separated only by characters folding drops (“有用”但 → one span).
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not fold(text[merged[-1][1]:start])):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """The sentence holding the first match (or a window around it), and the spans inside it."""
    if not spans:
        head = text[: _LONGEST_SENTENCE]
        return (head + "…" if len(text) > len(head) else head), []
    first = spans[0][0]
    start = 0
    for end_mark in _SENTENCE_END.finditer(text, 0, first):
        start = end_mark.end()
    following = _SENTENCE_END.search(text, spans[0][1])
    end = following.end() if following else len(text)
    prefix = suffix = ""
    if end - start > _LONGEST_SENTENCE:
        start = max(start, first - _WINDOW)
        end = min(end, spans[0][1] + _WINDOW)
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(text) else ""
    # Leading spaces and the line breaks of poems or addresses would break a result row.
    body = text[start:end]
    shown = prefix + body.replace("\n", " ")
    trim = len(shown) - len(shown.lstrip())
    shown = shown.strip() + suffix
    shift = len(prefix) - start - trim
    inside = [(max(0, s + shift), min(len(shown), e + shift)) for s, e in spans if s < end and e > start]
    return shown, [(s, e) for s, e in inside if e > s]
