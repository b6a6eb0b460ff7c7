"""The few settings the app remembers between runs, in settings.toml, written atomically.

Keys this version does not know (written by a newer one, or by hand) are kept as they are:
saving one setting never drops another."""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TypeGuard

import tomli_w

NOTIFY_MODES = ("off", "auto", "osc9", "osc777", "osc99")
SPEECH_MODES = ("auto", "on", "off")  # tui.speech's, without importing it at start-up
SPEECH_TEXT = "{text}"
KNOWN_KEYS = ("theme", "bell", "notify", "checkin", "speech", "speech_command")


@dataclass(frozen=True)
class Settings:
    theme: str | None = None
    bell: bool = True
    notify: str = "auto"  # desktop notifications: one of NOTIFY_MODES
    checkin: bool = True  # ask "How is your back?" before and after a session
    speech: str = "auto"  # say the cues aloud: one of SPEECH_MODES
    # the program to speak with instead of the one found, SPEECH_TEXT standing for the text
    speech_command: tuple[str, ...] | None = None
    # [keys]: binding id -> keys, as written (tui.ui.keymap checks it). It stays in `others`
    # too, so that it is written back exactly as the person wrote it.
    keys: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    others: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))


def load_settings(path: Path) -> tuple[Settings, str | None]:
    """The saved settings and, if the file could not be used, a warning (defaults then)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings(), None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Settings(), f"Ignored the settings in {path} ({error}); using the defaults."
    others = {key: value for key, value in data.items() if key not in KNOWN_KEYS}
    settings = Settings(others=MappingProxyType(others))
    problems = []
    theme = data.get("theme")
    if isinstance(theme, str) and theme:
        settings = replace(settings, theme=theme)
    elif theme is not None:
        problems.append("theme must be a theme name")
    bell, checkin = data.get("bell"), data.get("checkin")
    if isinstance(bell, bool):
        settings = replace(settings, bell=bell)
    elif bell is not None:
        problems.append("bell must be true or false")
    if isinstance(checkin, bool):
        settings = replace(settings, checkin=checkin)
    elif checkin is not None:
        problems.append("checkin must be true or false")
    notify = data.get("notify")
    if isinstance(notify, str) and notify in NOTIFY_MODES:
        settings = replace(settings, notify=notify)
    elif notify is not None:
        problems.append(f"notify must be one of {', '.join(NOTIFY_MODES)}")
    speech = data.get("speech")
    if isinstance(speech, str) and speech in SPEECH_MODES:
        settings = replace(settings, speech=speech)
    elif speech is not None:
        problems.append(f"speech must be one of {', '.join(SPEECH_MODES)}")
    command = data.get("speech_command")
    if _is_speech_command(command):
        settings = replace(settings, speech_command=tuple(command))
    elif command is not None:
        problems.append(
            f'speech_command must be a list of strings, one of them holding "{SPEECH_TEXT}" '
            f'(for example ["espeak-ng", "-s", "150", "{SPEECH_TEXT}"])'
        )
    keys = data.get("keys")
    if isinstance(keys, dict):
        settings = replace(settings, keys=MappingProxyType(keys))
    elif keys is not None:
        problems.append('keys must be a table: [keys] then lines as pause = "k"')
    warning = f"Ignored part of {path}: {'; '.join(problems)}." if problems else None
    return settings, warning


def save_settings(settings: Settings, path: Path) -> None:
    """Write the settings atomically: a reader sees the old file or the new, never half."""
    data: dict[str, object] = dict(settings.others)
    data.update(
        bell=settings.bell,
        notify=settings.notify,
        checkin=settings.checkin,
        speech=settings.speech,
    )
    if settings.speech_command:
        data["speech_command"] = list(settings.speech_command)
    if settings.theme:
        data["theme"] = settings.theme
    write_atomically(path, tomli_w.dumps(data).encode())


def _is_speech_command(value: object) -> TypeGuard[list[str]]:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(part, str) and part for part in value)
        and any(SPEECH_TEXT in part for part in value)
    )


def write_atomically(path: Path, content: bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
