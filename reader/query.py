"""What the user typed, taken apart: text to find, an exact phrase, filters.

    核战争打不赢                fuzzy: a character missing, extra or wrong still matches
    "书面回复"                  exact phrase (double quotes)
    source:观察者网 date:2022-01 in:title   filters, combinable with text

A filter value may be quoted: source:"Aljazeera 半岛网".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import fold

_TOKEN = re.compile(r'(source|date|in):("([^"]*)"?|\S*)|"([^"]*)"?|(\S+)', re.IGNORECASE)


@dataclass(frozen=True)
class Query:
    raw: str
    text: str = ""  # the words to find, as typed (filters and quotes removed)
    exact: bool = False  # the text was "quoted": no fuzzy matches
    source: str | None = None
    date_prefix: str | None = None
    title_only: bool = False

    @property
    def folded(self) -> str:
        return fold(self.text)

    @property
    def has_filters(self) -> bool:
        return bool(self.source or self.date_prefix or self.title_only)

    @property
    def is_empty(self) -> bool:
        return not self.folded and not self.has_filters


def parse_query(raw: str) -> Query:
    words: list[str] = []
    exact = False
    source = date_prefix = None
    title_only = False
    for match in _TOKEN.finditer(raw):
        name, value, quoted_value, phrase, word = match.groups()
        if name:
            value = quoted_value if quoted_value is not None else value
            name = name.lower()
            if name == "source" and value:
                source = value
            elif name == "date" and value:
                date_prefix = value
            elif name == "in" and value.lower() == "title":
                title_only = True
            elif value:
                words.append(match.group(0))  # in:body and the like: plain text
        elif phrase is not None:
            exact = True
            words.append(phrase)
        elif word:
            words.append(word)
    return Query(raw, " ".join(words), exact, source, date_prefix, title_only)
