"""Where a query matches inside one text, in the text's own offsets, and the passage to show.

Matching happens on folded text (reader.search.fold); the spans it reports are
mapped back to the original characters so that highlighting lands on what the
user reads, punctuation and all.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from rapidfuzz import process

from .fold import SEPARATOR_CODE, folded_passages_with_offsets, folded_with_offsets

_SENTENCE_END = re.compile(r"[。！？!?；;…\n]+[”’」』）)]*")
_LONGEST_SENTENCE = 160  # characters; longer ones are shown as a window around the match
_WINDOW = 60


def allowed_edits(length: int) -> int:
    """Characters that may be wrong, missing or extra in a query of ``length`` folded characters."""
    if length < 4:
        return 0
    return 1 if length < 12 else 2


def cutoff_for(length: int) -> float:
    """The lowest fuzzy score (``fuzzy_score``) that ``allowed_edits`` mistakes still reach."""
    # The margin absorbs float rounding: rapidfuzz's extract compares its own
    # float against this, and 83.33… for 6 characters must pass.
    return 100.0 * (1 - allowed_edits(length) / length) - 0.01


def best_fuzzy_score(length: int) -> float:
    """The highest ``fuzzy_score`` of a text that does not hold the query exactly: one mistake."""
    return 100.0 * (length - 1) / length


_BLANK = "\x01"  # a control character: the fold drops it, so folded texts and queries never hold it


def padded(folded_text: str, query_length: int) -> str:
    """``folded_text`` with ``query_length`` - 1 blanks either side, for ``fuzzy_score``."""
    blanks = _BLANK * (query_length - 1)
    return blanks + folded_text + blanks


def fuzzy_score(folded_query: str, folded_text: str, cutoff: float = 0) -> float:
    """How much of the query stands in ``folded_text``: 100 × the most of its characters, in order, in any
    window as long as the query (0 under ``cutoff``).

    rapidfuzz's partial_ratio on the text padded with blanks: partial_ratio
    also tries windows cut short by the text's start or end, and scores a
    text shorter than the query whole, both higher than the same mistake
    inside a text (`没有欧洲人` at a paragraph's start would score 90.9 for
    `能没有欧洲人`, 83.3 in its middle). Padded, every window is as long as
    the query, so one mistake (a character wrong, missing or extra) scores
    (m - 1) / m wherever it is, and no text short of the query scores more
    (``best_fuzzy_score``): search can stop early on that (reader.search.engine).
    """
    return fuzz.partial_ratio(folded_query, padded(folded_text, len(folded_query)), score_cutoff=cutoff)


def starts_and_ends_words(folded_query: str) -> tuple[bool, bool]:
    """Whether a fuzzy match of this query must start, and end, at a word's edge (see ``find``)."""
    return (bool(folded_query) and _wordy(folded_query[0]), bool(folded_query) and _wordy(folded_query[-1]))


# Scripts that put spaces between words: Latin, Greek, Cyrillic, Armenian; Georgian; Latin and Greek extended.
_WORDY = ((0, 0x0590), (0x10A0, 0x1100), (0x1E00, 0x2000))  # [low, high)


def _wordy(char: str) -> bool:
    """A letter or digit of a script that puts spaces between words (``_WORDY``)."""
    code = ord(char)
    return any(low <= code < high for low, high in _WORDY)


def _joined(char: str) -> bool:
    """A mark or a format character: joined to the letter before it, so no word edge between them."""
    return unicodedata.category(char).startswith(("M", "Cf"))


@lru_cache(maxsize=1)
def _bmp_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For every code point of the BMP: digit, lower-case, upper-case, and joined to the letter before
    (a mark or a format character: no word edge). 40-50 ms, once: see prepare_word_edges."""
    chars = [chr(code) for code in range(0x10000)]
    digit = np.fromiter((char.isdigit() for char in chars), dtype=bool, count=0x10000)
    lower = np.fromiter((char.islower() for char in chars), dtype=bool, count=0x10000)
    upper = np.fromiter((char.isupper() for char in chars), dtype=bool, count=0x10000)
    joined = np.fromiter(map(_joined, chars), dtype=bool, count=0x10000)
    return digit, lower, upper, joined


def prepare_word_edges() -> None:
    """Build now the tables a check on word edges reads (``_bmp_tables``): 40-50 ms, otherwise paid by
    the session's first query that starts or ends with a Latin letter or a digit."""
    _bmp_tables()


def _looked_up(table: np.ndarray, codes: np.ndarray, rule) -> np.ndarray:
    """``table`` for each code point, by ``rule`` (a str → bool) for the few beyond the BMP."""
    found = table[np.minimum(codes, 0xFFFF)]
    beyond = np.flatnonzero(codes > 0xFFFF)
    for where in beyond.tolist():
        found[where] = rule(chr(int(codes[where])))
    return found


def _code_array(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _wordy_codes(codes: np.ndarray) -> np.ndarray:
    """``_wordy`` for code points in numpy."""
    wordy = np.zeros(len(codes), dtype=bool)
    for low, high in _WORDY:
        wordy |= (codes >= low) & (codes < high)
    return wordy


def _edges(text: str, folded: str, offsets: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Whether a word may start or end at each position of ``folded`` (0 to its length), and which of its
    characters are wordy (``_wordy``).

    Between two letters of a spaced script there is an edge where the text
    has a space or punctuation between them (not an accent), where letters
    meet digits (G7, COVID19), and where a lower-case letter meets an
    upper-case one (WendySherman); anywhere else, such as beside a Chinese
    character, every position is an edge. In numpy: a Python loop over
    every character made this most of a Latin fuzzy search (`NATO`, 0.7 s).
    """
    codes = _code_array(folded)
    wordy = _wordy_codes(codes)
    return _edge_array(_code_array(text), codes, np.asarray(offsets, dtype=np.int64), wordy), wordy


def _edge_array(original: np.ndarray, codes: np.ndarray, places: np.ndarray, wordy: np.ndarray) -> np.ndarray:
    """``_edges`` on code points: ``codes`` folded from ``original``, ``places`` each one's offset there."""
    n = len(codes)
    edge = np.ones(n + 1, dtype=bool)
    if n < 2:
        return edge
    digit, lower, upper, joined = _bmp_tables()
    is_digit = digit[np.minimum(codes, 0xFFFF)]  # wordy characters are all in the BMP
    # Positions between two wordy characters, both digits or both not: the text decides.
    inside = np.flatnonzero(wordy[:-1] & wordy[1:] & (is_digit[:-1] == is_digit[1:])) + 1
    if len(inside):
        before, after = places[inside - 1], places[inside]
        breaking = ~_looked_up(joined, original, _joined)
        counted = np.concatenate(([0], np.cumsum(breaking)))
        apart = counted[after] - counted[np.minimum(before + 1, after)] > 0  # a space or a mark of punctuation between
        camel = _looked_up(lower, original[before], str.islower) & _looked_up(upper, original[after], str.isupper)
        edge[inside] = (before != after) & (apart | camel)  # one character folded to several (ß → ss): no edge
    return edge


def _aligned_window(text: str, folded: str, offsets: list[int], query: str) -> tuple[float, int, int] | None:
    """The best window of ``folded`` within the allowed edits whose wordy ends lie on word edges: (score, start, end)."""
    m, slack = len(query), allowed_edits(len(query))
    cutoff = cutoff_for(m)
    need_start, need_end = starts_and_ends_words(query)
    edge, wordy = _edges(text, folded, offsets)
    n = len(folded)
    pairs: list[tuple[int, int]] = []
    if need_start:
        word_end = (edge[1:] & wordy).tolist()  # [end - 1]: a word may end at ``end``
        for start in np.flatnonzero(edge[:n] & wordy).tolist():
            for end in range(max(start + 1, start + m - slack), min(n, start + m + slack) + 1):
                if not need_end or word_end[end - 1]:
                    pairs.append((start, end))
    else:
        for end in (np.flatnonzero(edge[1:] & wordy) + 1).tolist():
            for start in range(max(0, end - m - slack), min(end - 1, end - m + slack) + 1):
                pairs.append((start, end))
    best = None
    for start, end in pairs:
        score = fuzz.ratio(query, folded[start:end], score_cutoff=cutoff)
        if score and (best is None or score > best[0]):
            best = (score, start, end)
    return best


def edged_scores(texts: list[str], folded_query: str) -> list[float | None]:
    """For each text, the score ``find`` gives a fuzzy match of a query that must stand on word edges, or
    None when ``find`` gives no fuzzy match (none, or the text holds the query exactly): many texts at once.

    ``find`` one text at a time cost 0.1 ms a passage in numpy calls and a
    loop over the windows (`NATO` at 100,000 articles checks about 5,000
    passages that pass the fuzzy score: 0.5 s). Here the texts are folded
    together, parted by SEPARATOR_CODE (never wordy, so an edge), their
    edges found in one pass, every window on word edges cut from them and
    scored in one call, and each text keeps its best.
    """
    m, slack = len(folded_query), allowed_edits(len(folded_query))
    need_start, need_end = starts_and_ends_words(folded_query)
    if not texts or not slack or not (need_start or need_end):
        return [_fuzzy_score_of(find(text, folded_query)) for text in texts]
    cutoff = cutoff_for(m)
    original, codes, places = folded_passages_with_offsets(texts)
    folded = codes.tobytes().decode("utf-32-le")
    pieces = folded.split(chr(SEPARATOR_CODE))[:-1]
    # find's first two tests: a text holding the query is exact; one under the fuzzy score does not match.
    fuzzy = process.cdist(
        [folded_query], [padded(piece, m) for piece in pieces], scorer=fuzz.partial_ratio, score_cutoff=cutoff, workers=1,
        dtype=np.float64,
    )[0]
    open_ = np.array([bool(score) and folded_query not in piece for score, piece in zip(fuzzy.tolist(), pieces)], dtype=bool)
    if not open_.any():
        return [None] * len(texts)
    ends = np.flatnonzero(codes == SEPARATOR_CODE)  # each text's end in ``folded``
    firsts = np.concatenate(([0], ends[:-1] + 1))
    wordy = _wordy_codes(codes) & (codes != SEPARATOR_CODE)
    edge = _edge_array(original, codes, places.astype(np.int64), wordy)
    n = len(codes)
    lengths = np.arange(max(1, m - slack), m + slack + 1)
    word_end = np.append(edge[1:] & wordy, False)  # [end - 1]: a word may end at ``end``
    if need_start:
        window_starts = np.flatnonzero(edge[:n] & wordy)
        owner = np.searchsorted(ends, window_starts)
        window_starts, owner = window_starts[open_[owner]], owner[open_[owner]]
        window_ends = window_starts[:, None] + lengths[None, :]
        valid = window_ends <= ends[owner][:, None]
        if need_end:
            valid &= word_end[np.minimum(window_ends, n) - 1]
        window_starts = np.broadcast_to(window_starts[:, None], window_ends.shape)[valid]
        owner = np.broadcast_to(owner[:, None], window_ends.shape)[valid]
        window_ends = window_ends[valid]
    else:
        window_ends = np.flatnonzero(word_end[:n]) + 1
        owner = np.searchsorted(ends, window_ends - 1)
        window_ends, owner = window_ends[open_[owner]], owner[open_[owner]]
        window_starts = window_ends[:, None] - lengths[None, :]
        valid = window_starts >= firsts[owner][:, None]
        window_starts = window_starts[valid]
        owner = np.broadcast_to(owner[:, None], valid.shape)[valid]
        window_ends = np.broadcast_to(window_ends[:, None], valid.shape)[valid]
    best = np.zeros(len(texts), dtype=np.float64)
    if len(window_starts):
        windows = [folded[start:end] for start, end in zip(window_starts.tolist(), window_ends.tolist())]
        scores = process.cdist([folded_query], windows, scorer=fuzz.ratio, score_cutoff=cutoff, workers=1, dtype=np.float64)[0]
        np.maximum.at(best, owner, scores)
    return [float(score) if is_open and score else None for is_open, score in zip(open_.tolist(), best.tolist())]


def _fuzzy_score_of(found) -> float | None:
    return float(found[1]) if found and not found[2] else None


def find(text: str, folded_query: str, *, exact_only: bool = False) -> tuple[list[tuple[int, int]], float, bool] | None:
    """Whether and where ``text`` matches: (character ranges of ``text``, score, exact), or None.

    Exact: the folded query occurs in the folded text (score 100). Otherwise,
    with ``allowed_edits`` characters wrong, missing or extra: the best window
    of ``fuzzy_score``; but a query that starts or ends with a Latin (Greek,
    Cyrillic…) letter or digit must match from a word's start, or to a word's
    end, there: NATO is not NAT-O inside "negotiation", while Ryabkov still
    finds Riabkov. Whole words may be joined (wendy sherman = WendySherman).
    """
    if not folded_query:
        return None
    folded, offsets = folded_with_offsets(text)
    return _found_in(text, folded, offsets, folded_query, exact_only)


def find_many(texts: list[str], folded_query: str, exact_only: list[bool]) -> list[tuple[list[tuple[int, int]], float, bool] | None]:
    """``find`` for each text (``exact_only[i]`` for ``texts[i]``), the texts folded in one pass.

    A page of hits folded one passage at a time spent a third of its dressing
    in numpy's calls for each (reader.search.engine).
    """
    if not texts or not folded_query:
        return [None] * len(texts)
    _original, codes, places = folded_passages_with_offsets(texts)
    pieces = codes.tobytes().decode("utf-32-le").split(chr(SEPARATOR_CODE))[:-1]
    ends = np.flatnonzero(codes == SEPARATOR_CODE)
    firsts = np.concatenate(([0], ends[:-1] + 1))
    # Each folded code's source as an offset in its own text: texts are joined, each followed by a NUL.
    text_starts = np.concatenate(([0], np.cumsum([len(text) + 1 for text in texts])[:-1]))
    relative = (places - np.repeat(text_starts, ends - firsts + 1)).tolist()
    return [
        _found_in(text, piece, relative[first:end], folded_query, exact)
        for text, piece, first, end, exact in zip(texts, pieces, firsts.tolist(), ends.tolist(), exact_only)
    ]


def _found_in(text: str, folded: str, offsets: list[int], folded_query: str, exact_only: bool):
    """``find``'s answer for ``text``, given it folded with the offsets of its characters."""
    if not folded:
        return None
    found: list[tuple[int, int]] = []
    start = folded.find(folded_query)
    while start != -1:
        found.append((start, start + len(folded_query)))
        start = folded.find(folded_query, start + len(folded_query))
    if found:
        return _spans(text, offsets, found), 100.0, True
    if exact_only or not allowed_edits(len(folded_query)):
        return None
    m = len(folded_query)
    cutoff = cutoff_for(m)
    if any(starts_and_ends_words(folded_query)):
        # The fuzzy score first, as search scores its candidates, then the windows on word edges.
        if not fuzzy_score(folded_query, folded, cutoff):
            return None
        aligned = _aligned_window(text, folded, offsets, folded_query)
        if aligned is None:
            return None
        score, window_start, window_end = aligned
        window = folded[window_start:window_end]
    else:
        alignment = fuzz.partial_ratio_alignment(folded_query, padded(folded, m), score_cutoff=cutoff)
        if alignment is None or not alignment.score:
            return None
        score = alignment.score
        # The window in the text, widened by the edits allowed: the aligned
        # window is as long as the query, which can cut off a matched edge.
        slack = allowed_edits(m)
        window_start = max(0, alignment.dest_start - (m - 1) - slack)
        window = folded[window_start:max(0, alignment.dest_end - (m - 1) + slack)]
    for operation in Indel.opcodes(folded_query, window):
        if operation.tag == "equal":
            found.append((window_start + operation.dest_start, window_start + operation.dest_end))
    return _spans(text, offsets, found), float(score), False


def match_spans(text: str, folded_query: str, *, exact_only: bool = False) -> list[tuple[int, int]]:
    """Character ranges of ``text`` that match; [] when it does not match."""
    found = find(text, folded_query, exact_only=exact_only)
    return found[0] if found else []


def _spans(text: str, offsets: list[int], found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ranges of folded text as ranges of the text, joined where only dropped characters part them (“有用”但).

    A range ends after the accents of its last character (e + U+0301), which
    folding drops but the reader sees as part of it.
    """
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    spans: list[tuple[int, int]] = []
    for start, end in merged:
        last = offsets[end - 1] + 1
        while last < len(text) and unicodedata.category(text[last]).startswith("M"):
            last += 1
        span = (offsets[start], last)
        if spans and span[0] < spans[-1][1]:  # two folds of one character (ß → s|s)
            spans[-1] = (spans[-1][0], max(spans[-1][1], span[1]))
        else:
            spans.append(span)
    return spans


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
