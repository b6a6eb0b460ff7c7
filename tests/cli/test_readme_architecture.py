"""The README's Architecture table names every module of the package, and nothing that is
gone: it is where a newcomer looks first, and a module it leaves out is one nobody finds."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"


def architecture_rows() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Architecture", 1)[1].split("### Where to find things", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| `tui/")]


def named_paths(row: str) -> set[str]:
    """Each module a row names: a path in its first cell stands for itself, a folder there
    holds the plain names in the rest of the row."""
    first, rest = row.split("|")[1], "|".join(row.split("|")[2:])
    paths = set(re.findall(r"`(tui/[^`]+)`", first))
    folders = [path for path in paths if path.endswith("/")]
    modules = {path for path in paths if path.endswith(".py")}
    for folder in folders:
        for name in re.findall(r"`([a-z_/]+\.py)`", rest):
            if "/" not in name:  # `core/adherence.py` points at another row's module
                modules.add(folder + name)
    return modules


def package_modules() -> set[str]:
    return {
        str(path.relative_to(REPO))
        for path in (REPO / "tui").rglob("*.py")
        if path.name != "__init__.py" and "__pycache__" not in path.parts
    }


def test_every_module_is_in_the_architecture_table() -> None:
    named = set().union(*(named_paths(row) for row in architecture_rows()))
    missing = package_modules() - named
    assert not missing, f"the README's Architecture table does not name: {sorted(missing)}"


def test_the_table_names_no_module_that_is_gone() -> None:
    named = set().union(*(named_paths(row) for row in architecture_rows()))
    gone = {path for path in named if not (REPO / path).is_file()}
    assert not gone, f"the README's Architecture table names what is not there: {sorted(gone)}"
