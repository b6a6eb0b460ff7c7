"""Settings: remembered theme, bell, notify, check-in and speech, atomic writes, unknown keys
kept, a hand-broken file never crashes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from apphelpers import make_app

from tui import paths
from tui.settings import Settings, load_settings, save_settings


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.toml"
    save_settings(Settings(theme="nord", bell=False), path)
    assert load_settings(path) == (Settings(theme="nord", bell=False), None)
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temp left


def test_missing_file_gives_defaults_quietly(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.toml") == (Settings(), None)


@pytest.mark.parametrize(
    "content, expected_warning",
    [
        ("theme = ", "Ignored the settings"),
        ("bell = 'loud'\ntheme = 'nord'", "bell must be true or false"),
        ("theme = 3", "theme must be a theme name"),
        ("notify = 'loud'", "notify must be one of off, auto, osc9, osc777, osc99"),
        ("checkin = 1", "checkin must be true or false"),
        ("speech = 'loud'", "speech must be one of auto, on, off"),
        (
            "speech_command = 'espeak-ng'",
            'speech_command must be a list of strings, one of them holding "{text}"',
        ),
        ("speech_command = ['espeak-ng']", "speech_command must be a list"),
        ("speech_command = []", "speech_command must be a list"),
        ("speech_command = ['say', 3, '{text}']", "speech_command must be a list"),
    ],
)
def test_broken_file_warns_and_uses_defaults(
    tmp_path: Path, content: str, expected_warning: str
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(content)
    loaded, warning = load_settings(path)
    assert warning is not None and expected_warning in warning
    assert loaded.bell is True


def test_non_utf8_file_warns(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(b"theme = '\xff'")
    loaded, warning = load_settings(path)
    assert loaded == Settings()
    assert warning is not None


def test_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "settings.toml"
    save_settings(Settings(theme="nord"), path)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        save_settings(Settings(theme="gruvbox"), path)
    assert load_settings(path)[0].theme == "nord"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]


def test_paths_follow_the_environment(tmp_path: Path) -> None:
    env = {"BACKTONE_CONFIG": str(tmp_path / "c"), "BACKTONE_DATA": str(tmp_path / "d")}
    assert paths.settings_path(env) == tmp_path / "c" / "settings.toml"
    assert paths.resolve_data_dir(None, env) == tmp_path / "d"
    assert paths.resolve_data_dir("x", env) == Path("x")
    assert paths.resolve_routines_path(None, env) == paths.bundled_routines_path()
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "routines.toml").write_text("schema = 1")
    assert paths.resolve_routines_path(None, env) == tmp_path / "c" / "routines.toml"
    env["BACKTONE_ROUTINES"] = "/elsewhere.toml"
    assert paths.resolve_routines_path(None, env) == Path("/elsewhere.toml")
    assert paths.resolve_routines_path("given.toml", env) == Path("given.toml")


async def test_theme_and_bell_are_remembered(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
    again = make_app(tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_broken_settings_file_is_a_warning_in_the_app(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.toml").write_text("[[[")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert any("Ignored the settings" in n.message for n in app._notifications)
        assert app.bell_on


def test_notify_and_checkin_round_trip_and_default() -> None:
    assert Settings().notify == "auto" and Settings().checkin is True


def test_speech_and_its_command_round_trip(tmp_path: Path) -> None:
    assert (Settings().speech, Settings().speech_command) == ("auto", None)
    path = tmp_path / "settings.toml"
    path.write_text('speech = "on"\nspeech_command = ["espeak-ng", "-s", "140", "{text}"]\n')
    loaded, warning = load_settings(path)
    assert warning is None
    assert loaded.speech == "on"
    assert loaded.speech_command == ("espeak-ng", "-s", "140", "{text}")
    save_settings(loaded, path)
    assert load_settings(path) == (loaded, None)


@pytest.mark.parametrize(
    "argv, speech",
    [
        ([], None),
        (["--speech"], "on"),
        (["--no-speech"], "off"),
        (["run", "daily-back", "--no-speech"], "off"),
        (["--no-speech", "run", "daily-back", "--speech"], "on"),
        (["run", "daily-back"], None),
    ],
)
def test_speech_flags_of_the_commands_that_start_the_app(
    argv: list[str], speech: str | None
) -> None:
    from tui.cli import build_parser

    assert build_parser().parse_args(argv).speech == speech


def test_speech_and_no_speech_together_are_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tui.cli import build_parser

    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["run", "daily-back", "--speech", "--no-speech"])
    assert exit_.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_the_flag_outranks_the_setting(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.toml").write_text('speech = "on"\n')
    assert make_app(tmp_path).speech == "on"
    from tui.ui.app import BacktoneApp

    app = BacktoneApp(tmp_path / "none.toml", config_dir=tmp_path / "config", speech="off")
    assert app.speech == "off"


def test_unknown_keys_survive_a_save(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('notify = "osc99"\ncheckin = false\nfuture = "kept"\n[later]\nx = 1\n')
    loaded, warning = load_settings(path)
    assert warning is None
    assert (loaded.notify, loaded.checkin) == ("osc99", False)
    save_settings(loaded, path)
    again, _ = load_settings(path)
    assert again == loaded
    assert dict(again.others) == {"future": "kept", "later": {"x": 1}}


async def test_saving_one_setting_keeps_all_the_others(tmp_path: Path) -> None:
    """Before: the app rebuilt the file from the theme and the bell alone."""
    (tmp_path / "config").mkdir()
    path = tmp_path / "config" / "settings.toml"
    path.write_text('notify = "osc777"\ncheckin = false\nfuture = 3\n')
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.set_bell(False)
        await pilot.pause()
    saved, _ = load_settings(path)
    assert (saved.bell, saved.notify, saved.checkin) == (False, "osc777", False)
    assert dict(saved.others) == {"future": 3}
