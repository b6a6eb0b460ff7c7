"""Shared fixtures. Every test runs with its own config and data dirs, never the real home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from storehelpers import World

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def examples_dir() -> Path:
    """The example routine files (good and bad) from ../shared/examples, copied into the
    repository so that a clone tested on its own (CI) runs every test that reads them."""
    return REPO_ROOT / "tests" / "examples"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """A data dir with the history store's fake clocks (storehelpers.World); every store
    opened on it is closed after the test."""
    w = World(tmp_path / "data")
    yield w
    w.close_all()


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point backtone's config and data at tmp_path; ignore any inherited routines file."""
    monkeypatch.setenv("BACKTONE_CONFIG", str(tmp_path / "config"))
    monkeypatch.setenv("BACKTONE_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("BACKTONE_ROUTINES", raising=False)


SLOW_FOLDERS = {"e2e"}  # the real command in a pseudo-terminal, or over sshd
SLOW_FILES = {"test_monkey.py"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`slow`: everything under tests/e2e, the monkey tests, and the browser tests. CI runs
    them all; `pytest -m "not slow"` is the day-to-day subset."""
    for item in items:
        folder = item.path.parent.name
        slow_file = folder in SLOW_FOLDERS or item.path.name in SLOW_FILES
        if slow_file or item.get_closest_marker("e2e") or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
