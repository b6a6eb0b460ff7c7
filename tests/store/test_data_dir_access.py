"""A history.db that is no regular file (a FIFO, a directory, a socket, a device, a symlink)
and a data dir that cannot be entered: refused by name before anything is opened, by the
store, `history`, `status` and the app alike, and nothing changed on disk."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import socket
import stat
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from types import FrameType

import pytest
from apphelpers import make_app, wait_until

from tui import cli
from tui.status import CannotRead, read_history, run_status
from tui.store import history_file
from tui.store.database import DB_NAME
from tui.store.rows import HistoryUnavailable
from tui.store.sessions import HistoryStore

RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NOBODY = 65534


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """Opening a FIFO would block for ever: fail after 20 s instead of hanging the run."""

    def give_up(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError("blocked: something opened what it should only have looked at")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def make_directory(path: Path) -> None:
    path.mkdir()


def make_socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays


def make_device(path: Path) -> None:
    os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is


def make_symlink(path: Path) -> None:
    target = path.with_name("elsewhere.db")
    HistoryStore.open(path.parent / "real").close()
    (path.parent / "real" / DB_NAME).rename(target)
    path.symlink_to(target)


KINDS: dict[str, tuple[Callable[[Path], None], str]] = {
    "fifo": (make_fifo, "it is a named pipe (FIFO), not a history file"),
    "directory": (make_directory, "it is a directory, not a history file"),
    "socket": (make_socket, "it is a socket, not a history file"),
    "device": (make_device, "it is a character device, not a history file"),
    "symlink": (make_symlink, "is a symbolic link"),
}


@pytest.fixture(params=list(KINDS))
def odd_history(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    make, said = KINDS[request.param]
    if request.param == "device" and not RUNNING_AS_ROOT:
        pytest.skip("only root may make a device node")
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    make(data_dir / DB_NAME)
    return data_dir, said


def listing(directory: Path) -> list[tuple[str, int]]:
    return sorted((p.name, p.lstat().st_mode) for p in directory.iterdir())


def run_command(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


# -- not a regular file -------------------------------------------------------------------------


def test_the_store_refuses_it_by_name_and_never_opens_it(odd_history: tuple[Path, str]) -> None:
    data_dir, said = odd_history
    before = listing(data_dir)
    for opening in (HistoryStore.open, HistoryStore.open_read_only):
        with pytest.raises(HistoryUnavailable) as caught:
            opening(data_dir)
        assert str(data_dir / DB_NAME) in str(caught.value) and said in str(caught.value)
        assert "\n" not in str(caught.value)
    assert listing(data_dir) == before  # nothing moved aside, nothing made beside it


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "toml"])
def test_history_says_what_is_there_and_exits_1(odd_history: tuple[Path, str], fmt: str) -> None:
    data_dir, said = odd_history
    before = listing(data_dir)
    code, out, err = run_command(["history", "--data-dir", str(data_dir), "--format", fmt])
    assert (code, out) == (1, "")
    assert err.startswith("backtone: ") and err.count("\n") == 1
    assert str(data_dir / DB_NAME) in err and said in err
    assert listing(data_dir) == before


def test_status_says_what_is_there_and_quiet_says_nothing(
    odd_history: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir, said = odd_history
    assert run_status(str(data_dir)) == 1  # not "no sessions yet"
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("backtone status: ")
    assert str(data_dir / DB_NAME) in captured.err and said in captured.err
    assert run_status(str(data_dir), quiet=True) == 1
    assert capsys.readouterr() == ("", "")
    assert run_status(str(data_dir), "json") == 1
    assert capsys.readouterr().out == ""


def test_a_fifo_swapped_in_after_the_look_is_still_never_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / DB_NAME
    os.mkfifo(fifo)
    with pytest.raises(history_file.NotRegular, match="named pipe"):
        history_file.read_head(str(fifo))


def notices(app: object) -> str:
    return " ".join(str(n.message) for n in app._notifications)  # type: ignore[attr-defined]


async def test_the_app_opens_with_history_off_and_names_the_fifo(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    os.mkfifo(data_dir / DB_NAME)
    app = make_app(tmp_path, data_dir=data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.history_problem is not None, "the history refused")
        assert "named pipe (FIFO)" in (app.history_problem or "")
        # notify() delivers a moment after the problem is known: wait for the notice itself.
        await wait_until(pilot, lambda: "History is off" in notices(app), "the notice")
        assert f"History is off: cannot use {data_dir / DB_NAME}: it is a named pipe" in notices(
            app
        )
        await pilot.press("q")  # and it still answers


# -- a data dir that cannot be entered -----------------------------------------------------------


@pytest.fixture
def closed_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data dir whose history cannot be looked at, as another user's mode-0700 dir looks to
    this one. Root passes every permission check, so there lstat is made to say so."""
    data_dir = tmp_path / "data"
    HistoryStore.open(data_dir).close()
    real = os.lstat

    def lstat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if str(path).startswith(str(data_dir) + os.sep):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "lstat", lstat)
    return data_dir


def test_the_store_says_permission_denied_naming_the_dir(closed_dir: Path) -> None:
    for opening in (HistoryStore.open, HistoryStore.open_read_only):
        with pytest.raises(HistoryUnavailable) as caught:
            opening(closed_dir)
        assert str(caught.value).startswith(f"{closed_dir}: permission denied")
        assert "PermissionError" not in str(caught.value)


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_history_says_permission_denied_and_exits_1(closed_dir: Path, fmt: str) -> None:
    code, out, err = run_command(["history", "--data-dir", str(closed_dir), "--format", fmt])
    assert (code, out) == (1, "")
    assert err.startswith(f"backtone: {closed_dir}: permission denied") and err.count("\n") == 1


def test_status_says_permission_denied_not_no_sessions(
    closed_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_status(str(closed_dir)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"backtone status: {closed_dir}: permission denied")
    assert run_status(str(closed_dir), quiet=True) == 1
    assert capsys.readouterr() == ("", "")


async def test_the_app_opens_with_history_off_permission_denied(
    tmp_path: Path, closed_dir: Path
) -> None:
    app = make_app(tmp_path, data_dir=closed_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "History is off" in notices(app), "the notice")
        assert f"History is off: {closed_dir}: permission denied" in notices(app)


def as_nobody(work: Callable[[], str]) -> str:
    """What `work` returns when run as another user, in a forked child (root only). Everything
    it needs is imported already: the child may not read what root installed."""
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's coverage is not collected
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            result = work()
        except BaseException as error:  # said to the parent, whatever it is
            result = f"{type(error).__name__}: {error}"
        os.write(writer, result.encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        said = pipe.read().decode()
    os.waitpid(child, 0)
    return said


@pytest.mark.skipif(not RUNNING_AS_ROOT, reason="needs root to become another user")
def test_another_user_s_private_dir_is_said_as_such() -> None:
    # Not under tmp_path: pytest's own base dir is root's, mode 0700, and would be the one named.
    with tempfile.TemporaryDirectory(dir="/tmp") as place:
        os.chmod(place, 0o755)
        data_dir = Path(place) / "data"
        said_by_store, said_by_status = another_user_opens(data_dir)
    expected = (
        f"{data_dir}: permission denied: it belongs to root (uid 0), and nobody (uid 65534)"
        " may not enter it; choose another --data-dir"
    )
    assert (said_by_store, said_by_status) == (expected, expected)


def another_user_opens(data_dir: Path) -> tuple[str, str]:
    HistoryStore.open(data_dir).close()  # root's, mode 0700
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700

    def open_store() -> str:
        try:
            HistoryStore.open(data_dir).close()
        except HistoryUnavailable as error:
            return str(error)
        return "opened"

    def read_status() -> str:
        try:
            read_history(str(data_dir / DB_NAME), date(2025, 1, 15))
        except CannotRead as error:
            return str(error)
        return "read"

    return as_nobody(open_store), as_nobody(read_status)
