from __future__ import annotations

from pathlib import Path

import pytest

from reader.load import load_article
from reader.model import Article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed_path(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


@pytest.fixture(scope="session")
def seed_articles() -> dict[str, Article]:
    return {path.name[:3]: load_article(path) for path in sorted(SEEDS.glob("*.txt"))}
