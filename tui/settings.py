"""The few settings the app remembers between runs, in settings.toml, written atomically."""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import tomli_w


@dataclass(frozen=True)
class Settings:
    theme: str | None = None
    bell: bool = True


def load_settings(path: Path) -> tuple[Settings, str | None]:
    """The saved settings and, if the file could not be used, a warning (defaults then)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings(), None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Settings(), f"Ignored the settings in {path} ({error}); using the defaults."
    settings = Settings()
    problems = []
    theme = data.get("theme")
    if isinstance(theme, str) and theme:
        settings = replace(settings, theme=theme)
    elif theme is not None:
        problems.append("theme must be a theme name")
    bell = data.get("bell")
    if isinstance(bell, bool):
        settings = replace(settings, bell=bell)
    elif bell is not None:
        problems.append("bell must be true or false")
    warning = f"Ignored part of {path}: {'; '.join(problems)}." if problems else None
    return settings, warning


def save_settings(settings: Settings, path: Path) -> None:
    """Write the settings atomically: a reader sees the old file or the new, never half."""
    data: dict[str, object] = {"bell": settings.bell}
    if settings.theme:
        data["theme"] = settings.theme
    write_atomically(path, tomli_w.dumps(data).encode())


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
