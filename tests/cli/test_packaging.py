"""What an installed copy needs: the data files inside the wheel, the command, light imports."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    pytest.importorskip("build")
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), "."],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (path,) = out.glob("backtone-*.whl")
    with zipfile.ZipFile(path) as archive:
        yield archive


def test_wheel_ships_the_data_files(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert {"tui/__init__.py", "tui/core/loader.py", "tui/ui/app.py", "tui/cli.py"} <= names
    assert "tui/routines.toml" in names
    assert "tui/styles.tcss" in names
    assert wheel.read("tui/routines.toml") == (REPO_ROOT / "routines.toml").read_bytes()
    assert wheel.read("tui/styles.tcss") == (REPO_ROOT / "styles.tcss").read_bytes()
    assert not [n for n in names if n.startswith("tests/") or "__pycache__" in n]


def test_wheel_routines_are_valid(wheel: zipfile.ZipFile) -> None:
    from tui.core.loader import load_bytes

    book = load_bytes(wheel.read("tui/routines.toml"), "wheel:tui/routines.toml")
    assert {"daily-back", "gentle-short", "pregnancy-cat"} <= {r.id for r in book.routines}


def test_wheel_declares_the_backtone_command(wheel: zipfile.ZipFile) -> None:
    (entry_points,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    lines = [line.strip() for line in wheel.read(entry_points).decode().splitlines()]
    assert "[console_scripts]" in lines
    section = lines[lines.index("[console_scripts]") + 1 :]
    assert "backtone = tui.cli:main" in section


@pytest.mark.parametrize(
    "module",
    [
        "tui.core.loader",
        "tui.core.plan",
        "tui.core.engine",
        "tui.core.summary",
        "tui.store",
        "tui.paths",
        "tui.settings",
        "tui.terminal",
    ],
)
def test_core_modules_do_not_import_textual(module: str) -> None:
    code = (
        "import sys, importlib\n"
        f"importlib.import_module({module!r})\n"
        "assert 'tui.ui' not in sys.modules, 'tui.ui imported'\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO_ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_check_subprocess_can_see_textual() -> None:
    """The probe above would pass vacuously if textual were never importable at all."""
    code = "import sys, tui.ui.app; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO_ROOT
    )
    assert result.stdout.strip() == "True", result.stderr
