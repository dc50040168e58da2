"""What the user typed, taken apart: text to find, an exact phrase, filters.

    核战争打不赢                fuzzy: a character missing, extra or wrong still matches
    "书面回复"                  exact phrase (double quotes)
    source:观察者网 date:2022-01 in:title   filters, combinable with text

A filter value may be quoted: source:"Aljazeera 半岛网". Anything else
written as a filter (``foo:bar``, ``in:body``) is not searched for: it is
kept in ``Query.unknown`` and ``Query.problem`` says so in one line, for the
command line and the app to show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .fold import fold

# name:value, where the name is a word of ASCII letters; not a URL (http://…).
_TOKEN = re.compile(r'(?<!\S)([a-z]+):(?!//)("([^"]*)"?|\S*)|"([^"]*)"?|(\S+)', re.IGNORECASE)
FILTERS = ("source", "date", "in")


@dataclass(frozen=True)
class Query:
    raw: str
    text: str = ""  # the words to find, as typed (filters and quotes removed)
    exact: bool = False  # the text was "quoted": no fuzzy matches
    source: str | None = None
    date_prefix: str | None = None
    title_only: bool = False
    unknown: tuple[str, ...] = ()  # filters as typed that are none of the above (foo:bar, in:body)

    @property
    def problem(self) -> str | None:
        """One line about the unknown filters, or None."""
        if not self.unknown:
            return None
        plural = "s" if len(self.unknown) > 1 else ""
        hint = "the filters are source:NAME, date:PREFIX (such as date:2022-01) and in:title"
        if all(token.lower().startswith("in:") for token in self.unknown):
            hint = "in: takes only title; without it, titles, text, captions and sources are all searched"
        return f"unknown filter{plural} {', '.join(self.unknown)}: {hint}"

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
    unknown: list[str] = []
    for match in _TOKEN.finditer(raw):
        name, value, quoted_value, phrase, word = match.groups()
        if name:
            value = quoted_value if quoted_value is not None else value
            name = name.lower()
            if not value:
                if name not in FILTERS:
                    words.append(match.group(0))  # a word ending in a colon ("Re:"): text
            elif name == "source":
                source = value
            elif name == "date":
                date_prefix = value
            elif name == "in" and value.lower() == "title":
                title_only = True
            else:
                unknown.append(match.group(0))
        elif phrase is not None:
            exact = True
            words.append(phrase)
        elif word:
            words.append(word)
    return Query(raw, " ".join(words), exact, source, date_prefix, title_only, tuple(unknown))
