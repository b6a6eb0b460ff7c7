"""Keys a person can change: every binding's id, the `[keys]` table's checks, the keys it puts
in force on a screen, in its Footer and in help, and the README's key table against the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from apphelpers import ManualClock, make_app, text_of, wait_until
from hypothesis import given
from hypothesis import strategies as st
from textual.keys import _character_to_key

from tui.settings import load_settings, save_settings
from tui.ui.keymap import ScreenKeys, check_keymap, typeable, ui_screens
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.player import SessionScreen

README = Path(__file__).resolve().parents[2] / "README.md"
HARD_ON_A_PHONE = {"escape", "left_square_bracket", "right_square_bracket"}


def screens() -> list[ScreenKeys]:
    return ui_screens()


def own_keys(screen: ScreenKeys) -> dict[str, set[str]]:
    """id -> default keys, for the bindings of the screen itself (not the app's)."""
    from tui.ui.app import BacktoneApp
    from tui.ui.keymap import expand

    app_bindings = expand(BacktoneApp.BINDINGS)
    keys: dict[str, set[str]] = {}
    for binding in screen.bindings[: len(screen.bindings) - len(app_bindings)]:
        if binding.id is not None:
            keys.setdefault(binding.id, set()).add(binding.key)
    return keys


# -- the bindings -----------------------------------------------------------------------------


def test_every_binding_of_ours_has_an_id() -> None:
    for screen in screens():
        for binding in screen.bindings:
            assert binding.id, (screen.name, binding)


def test_no_default_key_does_two_things_on_one_screen() -> None:
    assert check_keymap({}, screens()).problems == ()
    for screen in screens():
        ids_by_key: dict[str, set[str]] = {}
        for binding in screen.bindings:
            if binding.id:
                ids_by_key.setdefault(binding.key, set()).add(binding.id)
        assert {k: ids for k, ids in ids_by_key.items() if len(ids) > 1} == {}, screen.name


def test_every_action_has_a_default_key_a_phone_keyboard_has() -> None:
    for screen in screens():
        for binding_id, keys in own_keys(screen).items():
            assert keys - HARD_ON_A_PHONE, f"{binding_id} on {screen.name}: only {keys}"


# -- the checks -------------------------------------------------------------------------------


def test_a_good_keymap_is_taken_whole() -> None:
    checked = check_keymap({"pause": "k", "next": ["right", "j"], "help": "?"}, screens())
    assert checked.problems == ()
    assert checked.keymap == {"pause": "k", "next": "right,j", "help": "question_mark"}
    assert checked.warning is None


@pytest.mark.parametrize(
    ("keys", "named"),
    [
        ({"paus": "k"}, "'paus'"),
        ({"pause": "ctrl+wat"}, "'ctrl+wat' cannot be typed"),
        ({"pause": "hyper+k"}, "'hyper+k' cannot be typed"),
        ({"pause": ""}, "pause must be a key"),
        ({"pause": 3}, "pause must be a key"),
        ({"pause": ["k", 3]}, "pause must be a key"),
        ({"pause": "k,,j"}, "pause must be a key"),
        ({"pause": "b"}, "b would be both bell and pause on Session"),
        ({"stop": "space"}, "space would be both pause and stop on Session"),
        ({"start": "question_mark"}, "question_mark would be both help and start on Routines"),
    ],
)
def test_a_bad_keymap_is_named_and_none_of_it_is_used(keys: dict[str, object], named: str) -> None:
    checked = check_keymap({**keys, "undo": "U"}, screens())
    assert checked.keymap == {}
    assert checked.warning is not None
    assert named in checked.warning
    assert "every key is as it was" in checked.warning


def test_moving_a_key_off_frees_it_for_another_action() -> None:
    # Space moves to k, so stop may have Space: no clash.
    checked = check_keymap({"pause": "k", "stop": "space"}, screens())
    assert checked.problems == ()


@given(st.text(max_size=12))
def test_any_text_is_checked_without_a_crash(text: str) -> None:
    checked = check_keymap({"pause": text}, screens())
    assert bool(checked.keymap) != bool(checked.problems)


@pytest.mark.parametrize(
    ("key", "ok"),
    [("k", True), ("K", True), ("ctrl+k", True), ("alt+shift+left", True), ("f5", True),
     ("question_mark", True), ("space", True), ("enter", True), ("ctrl+", False),
     ("wat", False), ("super+k", False), ("", False)],
)  # fmt: skip
def test_typeable(key: str, ok: bool) -> None:
    assert typeable(key) is ok


# -- settings.toml ----------------------------------------------------------------------------


def test_keys_are_read_and_written_back_as_they_were(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('bell = true\n[keys]\npause = "k"\nnext = ["right", "j"]\n', encoding="utf-8")
    settings, warning = load_settings(path)
    assert warning is None
    assert dict(settings.keys) == {"pause": "k", "next": ["right", "j"]}
    save_settings(settings, path)
    again, _ = load_settings(path)
    assert dict(again.keys) == {"pause": "k", "next": ["right", "j"]}


def test_keys_that_are_not_a_table_are_named(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('keys = "k"\n', encoding="utf-8")
    settings, warning = load_settings(path)
    assert dict(settings.keys) == {}
    assert warning is not None and "keys must be a table" in warning
    save_settings(settings, path)
    assert 'keys = "k"' in path.read_text(encoding="utf-8")  # nothing the person wrote is lost


# -- in the app -------------------------------------------------------------------------------


def write_keys(tmp_path: Path, table: str) -> None:
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "settings.toml").write_text(f"[keys]\n{table}\n", encoding="utf-8")


async def test_pause_on_k_works_and_shows_in_the_footer_and_help(tmp_path: Path) -> None:
    write_keys(tmp_path, 'pause = "k"')
    app = make_app(tmp_path, clock=ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await pilot.press("k")
        await wait_until(pilot, lambda: screen.session.paused, "paused by k")
        # What the screen says names the key that works now.
        await wait_until(pilot, lambda: "k resumes" in text_of(screen.query_one("#state")), "")
        assert "Space" not in text_of(screen.query_one("#state"))
        await pilot.press("space")
        await pilot.pause()
        assert screen.session.paused  # Space no longer resumes
        footer = {key.key: key.description for key in screen.query("FooterKey")}
        assert footer.get("k") == "Resume"
        assert "space" not in footer
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        rows = text_of(app.screen.query_one("Static")).splitlines()
        assert any(re.match(r"\s*k\s+Pause the countdown", row) for row in rows), rows
        assert not any(row.lstrip().startswith("space") for row in rows)
        await pilot.press("escape")
        await pilot.press("k")
        await wait_until(pilot, lambda: not screen.session.paused, "resumed by k")


async def test_a_bad_keymap_says_so_and_the_defaults_work(tmp_path: Path) -> None:
    write_keys(tmp_path, 'paus = "k"\nnext = "b"')
    app = make_app(tmp_path, clock=ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        messages = lambda: [n.message for n in app._notifications]  # noqa: E731
        await wait_until(pilot, lambda: any("[keys]" in m for m in messages()), "the warning")
        warning = next(m for m in messages() if "[keys]" in m)
        assert "no action is called 'paus'" in warning
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.session.paused, "paused by Space")


async def test_exercise_keys_without_brackets(tmp_path: Path) -> None:
    app = make_app(tmp_path, clock=ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        first = screen.session.index
        await pilot.press("N")
        await wait_until(pilot, lambda: screen.session.index > first, "the next exercise")
        await pilot.press("P")
        await wait_until(pilot, lambda: screen.session.index == first, "back to the first")


# -- the README -------------------------------------------------------------------------------

README_KEYS = {"Space": "space", "Enter": "enter", "Esc": "escape", "→": "right", "←": "left"}


def readme_key(shown: str) -> str:
    if shown in README_KEYS:
        return README_KEYS[shown]
    if shown.startswith("Ctrl+"):
        return "ctrl+" + shown.removeprefix("Ctrl+").lower()
    assert len(shown) == 1, shown
    return _character_to_key(shown)


def readme_table() -> dict[str, dict[str, set[str]]]:
    """screen -> id -> keys, from the README's key table."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| screen | keys |") :].split("\n\n", 1)[0]
    rows: dict[str, dict[str, set[str]]] = {}
    for line in table.splitlines()[2:]:
        screen, cell = (part.strip() for part in line.strip("|").split("|"))
        entries: dict[str, set[str]] = {}
        for entry in cell.split(" · "):
            match = re.fullmatch(r"(?P<keys>.+?): .+ \((?P<id>[\w-]+)\)", entry)
            assert match, entry
            keys = re.findall(r"`([^`]+)`", match["keys"])
            ids = match["id"]
            if ids == "digit_0-digit_9":
                entries.update({f"digit_{n}": {str(n)} for n in range(10)})
                continue
            entries.setdefault(ids, set()).update(readme_key(key) for key in keys)
        rows[screen] = entries
    return rows


def test_the_readme_key_table_is_the_bindings() -> None:
    from tui.ui.app import BacktoneApp
    from tui.ui.keymap import expand

    table = readme_table()
    app_keys: dict[str, set[str]] = {}
    for binding in expand(BacktoneApp.BINDINGS):
        if binding.id:
            app_keys.setdefault(binding.id, set()).add(binding.key)
    assert table.pop("every screen") == app_keys
    for screen in screens():
        keys = own_keys(screen)
        if not keys:
            assert screen.name not in table, screen.name
            continue
        assert table.pop(screen.name) == keys, screen.name
    assert table == {}  # no row for a screen that is not there
