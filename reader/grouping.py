"""How the sidebar groups and orders articles: by source, or by month and day.

Pure functions over Articles, so the tree's order is testable without a
terminal and comes out the same however the articles arrived (loading is
incremental, in file order).
"""

from __future__ import annotations

import enum
from datetime import datetime, timezone

from .model import Article

_OLDEST = datetime.min.replace(tzinfo=timezone.utc)
UNDATED = "no date"


class Grouping(enum.Enum):
    SOURCE = "source"
    DATE = "date"

    def other(self) -> Grouping:
        return Grouping.DATE if self is Grouping.SOURCE else Grouping.SOURCE


def article_order(article: Article) -> tuple:
    """Newest first; ties by title then path, so the order never wobbles."""
    moment = article.date or _OLDEST
    return (-moment.timestamp(), article.title, str(article.path))


def group_path(article: Article, grouping: Grouping) -> tuple[str, ...]:
    """The labels of the groups an article sits in, outermost first."""
    if grouping is Grouping.SOURCE:
        return (article.source,)
    if article.date is None:
        return (UNDATED,)
    return (article.date.strftime("%Y-%m"), article.date.strftime("%Y-%m-%d"))


def group_order(label: str, grouping: Grouping) -> tuple:
    """Sources by name; months and days newest first, undated last.

    Sources are not ordered by their newest article because that changes
    while a big folder loads, and groups must not jump under the cursor.
    """
    if grouping is Grouping.SOURCE:
        return (label.casefold(), label)
    if label == UNDATED:
        return (1, "")
    # Invert the digits so that a plain ascending sort puts recent dates first.
    return (0, label.translate(_DESCENDING))


_DESCENDING = str.maketrans("0123456789", "9876543210")
