"""The `backtone` command, run in-process: list, check, init, run's refusals, help and usage."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui import paths
from tui.cli import build_parser, main
from tui.command_table import COMMANDS
from tui.core.loader import load_file
from tui.core.model import RoutineError
from tui.routines_cli import INIT_HEADER

BUNDLED = paths.bundled_routines_path()


@pytest.fixture(autouse=True)
def wide_plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich tables wide enough not to wrap names; never the no-tty escape hatch."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("BACKTONE_ALLOW_NO_TTY", raising=False)
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)


@pytest.fixture
def user_file() -> Path:
    return paths.user_routines_path()


def run_cli(*argv: str) -> subprocess.CompletedProcess[str]:
    """main() in a fresh interpreter, for output that capsys cannot see."""
    code = "import sys; from tui.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=60
    )


def bad_problems(path: Path) -> tuple[str, ...]:
    with pytest.raises(RoutineError) as info:
        load_file(path)
    return info.value.problems


# -- list ---------------------------------------------------------------------------------------


def test_list_prints_every_routine(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert f"Routines in {BUNDLED}" in out
    for routine in load_file(BUNDLED).routines:
        assert routine.id in out
        assert routine.name in out
    assert "daily-back" in out and "Daily back care" in out


def test_list_other_file(capsys: pytest.CaptureFixture[str], examples_dir: Path) -> None:
    path = examples_dir / "untimed-and-sides.toml"
    assert main(["list", "--routines", str(path)]) == 0
    out = capsys.readouterr().out
    assert "knee-hugs" in out and "Knee hugs, both sides" in out
    assert "2 min + 12 untimed" in out
    assert "daily-back" not in out


def test_list_bad_file(examples_dir: Path) -> None:
    # In a subprocess, not with capsys: see test_problems_go_to_the_current_stderr
    path = examples_dir / "bad-values.toml"
    result = run_cli("--routines", str(path), "list")
    assert result.returncode == 1
    assert result.stderr.splitlines() == list(bad_problems(path))
    assert result.stdout == ""


def test_problems_go_to_the_current_stderr(
    capsys: pytest.CaptureFixture[str], examples_dir: Path
) -> None:
    path = examples_dir / "bad-values.toml"
    assert main(["--routines", str(path), "list"]) == 1
    assert capsys.readouterr().err.splitlines() == list(bad_problems(path))


# -- check --------------------------------------------------------------------------------------


def test_check_bundled(capsys: pytest.CaptureFixture[str]) -> None:
    book = load_file(BUNDLED)
    assert main(["check", str(BUNDLED)]) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        f"OK: {BUNDLED} (schema {book.schema}): {len(book.routines)} routines, "
        f"{len(book.exercises)} exercises\n"
    )
    assert captured.err == ""


def test_check_singular_counts(capsys: pytest.CaptureFixture[str], examples_dir: Path) -> None:
    path = examples_dir / "minimal.toml"
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out == f"OK: {path} (schema 1): 1 routine, 1 exercise\n"


@pytest.mark.parametrize(
    "name, count",
    [("bad-reference.toml", 1), ("bad-syntax.toml", 1), ("bad-values.toml", 4)],
)
def test_check_bad_examples(
    capsys: pytest.CaptureFixture[str], examples_dir: Path, name: str, count: int
) -> None:
    path = examples_dir / name
    assert main(["check", str(path)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines == list(bad_problems(path))
    assert len(lines) == count
    assert all(line.startswith(f"{path}:") for line in lines)
    plural = "problem" if count == 1 else "problems"
    assert captured.err == f"{path}: {count} {plural} found\n"


def test_check_bad_reference_text(capsys: pytest.CaptureFixture[str], examples_dir: Path) -> None:
    path = examples_dir / "bad-reference.toml"
    main(["check", str(path)])
    assert "unknown exercise 'ct' (did you mean 'cat'?)" in capsys.readouterr().out


def test_check_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    assert main(["check", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == f"{path}: no such file\n"
    assert captured.err == f"{path}: 1 problem found\n"


def test_check_without_file_uses_the_bundled(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert capsys.readouterr().out.startswith(f"OK: {BUNDLED} (schema ")


def test_check_without_file_uses_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, examples_dir: Path
) -> None:
    path = examples_dir / "minimal.toml"
    monkeypatch.setenv("BACKTONE_ROUTINES", str(path))
    assert main(["check"]) == 0
    assert capsys.readouterr().out == f"OK: {path} (schema 1): 1 routine, 1 exercise\n"


def test_check_without_file_uses_the_config_file(
    capsys: pytest.CaptureFixture[str], user_file: Path, examples_dir: Path
) -> None:
    user_file.parent.mkdir(parents=True)
    user_file.write_bytes((examples_dir / "bad-reference.toml").read_bytes())
    assert main(["check"]) == 1
    assert capsys.readouterr().out.startswith(f"{user_file}: routines[0].steps[0].exercise: ")


@pytest.mark.parametrize("before", [True, False])
def test_check_with_routines_option_before_or_after(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    examples_dir: Path,
    before: bool,
) -> None:
    monkeypatch.setenv("BACKTONE_ROUTINES", str(examples_dir / "bad-values.toml"))
    path = examples_dir / "minimal.toml"
    argv = ["--routines", str(path), "check"] if before else ["check", "--routines", str(path)]
    assert main(argv) == 0  # the option beats the environment
    assert capsys.readouterr().out == f"OK: {path} (schema 1): 1 routine, 1 exercise\n"


# -- options before or after the command --------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["--routines", "F", "--data-dir", "D", "--no-bell", "run", "daily-back"],
        ["run", "daily-back", "--routines", "F", "--data-dir", "D", "--no-bell"],
        ["--routines", "F", "run", "--no-bell", "daily-back", "--data-dir", "D"],
    ],
)
def test_options_parse_before_and_after_run(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert (args.command, args.routine_id) == ("run", "daily-back")
    assert (args.routines, args.data_dir, args.no_bell) == ("F", "D", True)


@pytest.mark.parametrize(
    "command", [["list"], ["check"], ["init"], ["history"], ["history", "import", "F"], ["status"]]
)
def test_options_after_every_command(command: list[str]) -> None:
    args = build_parser().parse_args([*command, "--routines", "F", "--data-dir", "D"])
    assert (args.routines, args.data_dir, args.no_bell, args.no_checkin) == ("F", "D", False, False)
    args = build_parser().parse_args(command)
    assert (args.routines, args.data_dir, args.no_bell, args.no_checkin) == (
        None,
        None,
        False,
        False,
    )


def test_option_before_is_not_reset_by_the_command() -> None:
    args = build_parser().parse_args(["--routines", "F", "--no-bell", "list"])
    assert (args.routines, args.no_bell) == ("F", True)


# -- run without a terminal --------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "daily-back", "--routines", str(BUNDLED)],
        ["--routines", str(BUNDLED), "run", "daily-back"],
        ["run", "daily-back"],
        [],
    ],
)
def test_app_refuses_without_a_terminal(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err == ("backtone: the app needs a terminal; try `backtone list` or `--help`\n")
    assert captured.out == ""


def test_run_unknown_id_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "daly-back"]) == 2
    err = capsys.readouterr().err
    assert f"backtone: no routine 'daly-back' in {BUNDLED} (did you mean 'daily-back'?)" in err
    assert "`backtone list` shows them" in err


def test_run_unknown_id_without_a_guess(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "zzzzzzzz", "--routines", str(BUNDLED)]) == 2
    err = capsys.readouterr().err
    assert "no routine 'zzzzzzzz'" in err
    assert "did you mean" not in err


@pytest.mark.parametrize(
    "argv", [["run", "daly-back"], ["run", "daily-back"], ["--data-dir", "/dev/null"]]
)
def test_the_garbage_collector_is_on_again_whatever_the_app_path_returns(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Start-up pauses the collector; an unknown routine, no terminal or a bad data dir
    (each an early return) must not leave it off in the process."""
    import gc

    assert gc.isenabled()
    assert main(argv) == 2
    assert gc.isenabled()
    capsys.readouterr()


def test_run_with_a_bad_file(examples_dir: Path) -> None:
    path = examples_dir / "bad-values.toml"
    result = run_cli("run", "x", "--routines", str(path))
    assert result.returncode == 1
    err = result.stderr.splitlines()
    assert err[:-1] == list(bad_problems(path))
    assert err[-1] == f"Fix the file, then check it with: backtone check {path}"


# -- version, help, usage -----------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    captured = capsys.readouterr()
    assert (captured.out + captured.err).strip() == f"backtone {version('backtone')}"


@pytest.mark.parametrize("command", ["", *(command.name for command in COMMANDS)])
def test_help_on_every_command(capsys: pytest.CaptureFixture[str], command: str) -> None:
    argv = [command, "--help"] if command else ["--help"]
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: backtone {command}".rstrip())
    assert "--routines FILE" in out
    assert "--data-dir DIR" in out


def test_top_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in (*(command.name for command in COMMANDS), "--version"):
        assert command in out


@pytest.mark.parametrize(
    "argv, complaint",
    [
        (["frob"], "invalid choice: 'frob'"),
        (["run"], "the following arguments are required: ID"),
        (["check", "a.toml", "b.toml"], "unrecognized arguments: b.toml"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["list", "--force"], "unrecognized arguments: --force"),
        (["history", "--format", "xml"], "invalid choice: 'xml'"),
        (["history", "--since", "yesterday"], "not a date: 'yesterday' (use YYYY-MM-DD)"),
        (["history", "import"], "the following arguments are required: FILE"),
        (["history", "export"], "invalid choice: 'export' (choose from 'import')"),
        (["--routines"], "expected one argument"),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], complaint: str
) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: backtone")
    assert complaint in err


# -- init ---------------------------------------------------------------------------------------


def test_init_writes_the_bundled_routines(
    capsys: pytest.CaptureFixture[str], user_file: Path, tmp_path: Path
) -> None:
    assert user_file.is_relative_to(tmp_path)  # the autouse fixture keeps us off the real home
    assert not user_file.exists()
    assert main(["init"]) == 0
    out = capsys.readouterr().out
    assert f"Wrote the bundled routines to {user_file}" in out
    text = user_file.read_text(encoding="utf-8")
    assert text.startswith("# Your backtone routines.")
    assert text == INIT_HEADER + BUNDLED.read_text(encoding="utf-8")
    written = load_file(user_file)
    assert [r.id for r in written.routines] == [r.id for r in load_file(BUNDLED).routines]
    assert not [p.name for p in user_file.parent.iterdir() if p.name != "routines.toml"]


def test_init_then_the_written_file_is_the_one_in_use(
    capsys: pytest.CaptureFixture[str], user_file: Path
) -> None:
    assert main(["init"]) == 0
    capsys.readouterr()
    assert main(["check"]) == 0
    assert capsys.readouterr().out.startswith(f"OK: {user_file} (schema ")


def test_init_refuses_to_overwrite(capsys: pytest.CaptureFixture[str], user_file: Path) -> None:
    user_file.parent.mkdir(parents=True)
    user_file.write_text("# mine\n", encoding="utf-8")
    assert main(["init"]) == 1
    captured = capsys.readouterr()
    assert f"{user_file} already exists; not overwriting it" in captured.err
    assert "--force" in captured.err
    assert user_file.read_text(encoding="utf-8") == "# mine\n"


def test_init_force_overwrites(capsys: pytest.CaptureFixture[str], user_file: Path) -> None:
    user_file.parent.mkdir(parents=True)
    user_file.write_text("# mine\n", encoding="utf-8")
    assert main(["init", "--force"]) == 0
    text = user_file.read_text(encoding="utf-8")
    assert text.startswith(INIT_HEADER)
    load_file(user_file)


# -- text from the file is text -----------------------------------------------------------------

MARKUP_FILE = """\
schema = 1

[exercises.cat]
name = "Cat [/] [bold]cow[/bold]"
phases = [{ name = "Arch [red]up[/]", seconds = 5 }]

[[routines]]
id = "cat"
name = "Cat [/]"
steps = [{ exercise = "cat" }]

[[routines]]
id = "plank"
name = "Side plank [left] :smile:"
steps = [{ exercise = "cat" }]
"""


def test_list_prints_markup_as_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "[red]dir").mkdir()
    path = tmp_path / "[red]dir" / "routines.toml"
    path.write_text(MARKUP_FILE, encoding="utf-8")
    assert main(["list", "--routines", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Cat [/]" in out
    assert "Side plank [left] :smile:" in out
    assert "[red]dir/routines.toml" in out


def test_check_and_run_print_markup_as_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "[bold]dir").mkdir()
    path = tmp_path / "[bold]dir" / "r.toml"
    path.write_text(MARKUP_FILE, encoding="utf-8")
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out == f"OK: {path} (schema 1): 2 routines, 1 exercise\n"
    assert main(["run", "cta", "--routines", str(path)]) == 2
    assert f"no routine 'cta' in {path} (did you mean 'cat'?)" in capsys.readouterr().err


def test_problems_show_control_characters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad\x1b[2J.toml"
    path.write_bytes(b"schema = 1\nx = \n")
    assert main(["check", str(path)]) == 1
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err
    assert "bad\\x1b[2J.toml" in captured.out and "bad\\x1b[2J.toml" in captured.err


# -- the data dir ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [[], ["run", "daily-back"], ["history"], ["status"]])
def test_a_data_dir_that_is_a_file_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a directory")
    assert main(["--data-dir", str(a_file), *command]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{a_file} is not a directory (--data-dir)" in captured.err
    assert a_file.read_text() == "not a directory"


def test_a_data_dir_under_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("")
    assert main(["history", "--data-dir", str(a_file / "data")]) == 2
    assert f"{a_file / 'data'} cannot be a directory: {a_file} is a file" in (
        capsys.readouterr().err
    )


def test_the_data_dir_from_the_environment_is_checked_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BACKTONE_DATA", "/dev/null")
    assert main(["history"]) == 2
    assert "/dev/null is not a directory ($BACKTONE_DATA)" in capsys.readouterr().err


# -- a terminal on both ends -------------------------------------------------------------------


class Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    "stdin, stdout, env, expected",
    [
        (True, True, {}, None),
        (False, True, {}, "terminal on stdin too"),
        (True, False, {}, "the app needs a terminal;"),
        (False, False, {}, "the app needs a terminal;"),
        (False, False, {"TEXTUAL_DRIVER": "textual_serve.driver:WebDriver"}, None),
        (False, True, {"BACKTONE_ALLOW_NO_TTY": "1"}, None),
    ],
)
def test_terminal_problem(
    monkeypatch: pytest.MonkeyPatch,
    stdin: bool,
    stdout: bool,
    env: dict[str, str],
    expected: str | None,
) -> None:
    from tui.cli import terminal_problem

    monkeypatch.setattr(sys, "stdin", Stream(stdin))
    monkeypatch.setattr(sys, "stdout", Stream(stdout))
    problem = terminal_problem(env)
    assert problem is None if expected is None else expected in (problem or "")


def test_stdin_from_dev_null_with_a_terminal_on_stdout_exits_2() -> None:
    import os
    import pty

    controller, terminal = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("TEXTUAL_DRIVER",)}
    try:
        result = subprocess.run(
            [sys.executable, "-c", "import sys; from tui.cli import main; sys.exit(main())"],
            stdin=subprocess.DEVNULL, stdout=terminal, stderr=subprocess.PIPE,
            env=env, timeout=30,
        )  # fmt: skip
    finally:
        os.close(terminal)
        os.close(controller)
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "backtone: the app needs a terminal on stdin too (it reads keys from it); "
        "try `backtone list` or `--help`\n"
    )


# -- options -----------------------------------------------------------------------------------


def test_no_checkin_is_a_common_option() -> None:
    parser = build_parser()
    assert parser.parse_args([]).no_checkin is False
    assert parser.parse_args(["--no-checkin"]).no_checkin is True
    assert parser.parse_args(["run", "x", "--no-checkin"]).no_checkin is True
    assert parser.parse_args(["--no-checkin", "run", "x"]).no_checkin is True


MARKUP_NAMES = st.text(alphabet="[]/\\:ab =#@!", min_size=1, max_size=14).filter(
    lambda name: name.strip() == name and name.strip()
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=MARKUP_NAMES)
def test_any_name_lists_as_itself(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    path = tmp_path / "names.toml"
    text = MARKUP_FILE.replace('name = "Cat [/]"', f"name = {json.dumps(name)}")
    path.write_text(text, encoding="utf-8")
    assert main(["list", "--routines", str(path)]) == 0
    rows = capsys.readouterr().out.splitlines()[2:]
    assert any(row.split("  ")[1:2] == [name] or f"  {name}  " in row for row in rows), rows
