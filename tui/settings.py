"""Where backtone's files live, and the few settings the app remembers between runs."""

from __future__ import annotations

import os
import sys
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import platformdirs
import tomli_w

APP_NAME = "backtone"
PACKAGE_DIR = Path(__file__).resolve().parent


def _resource(name: str) -> Path:
    """A file shipped with backtone: inside the package when installed, beside it in a checkout."""
    installed = PACKAGE_DIR / name
    return installed if installed.exists() else PACKAGE_DIR.parent / name


def bundled_routines_path() -> Path:
    return _resource("routines.toml")


def stylesheet_path() -> Path:
    return _resource("styles.tcss")


def config_dir(env: Mapping[str, str] = os.environ) -> Path:
    if env.get("BACKTONE_CONFIG"):
        return Path(env["BACKTONE_CONFIG"]).expanduser()
    return platformdirs.user_config_path(APP_NAME)


def user_routines_path(env: Mapping[str, str] = os.environ) -> Path:
    return config_dir(env) / "routines.toml"


def settings_path(env: Mapping[str, str] = os.environ) -> Path:
    return config_dir(env) / "settings.toml"


def resolve_routines_path(option: str | None, env: Mapping[str, str] = os.environ) -> Path:
    """`--routines` > $BACKTONE_ROUTINES > the user's routines.toml if present > bundled."""
    if option:
        return Path(option).expanduser()
    if env.get("BACKTONE_ROUTINES"):
        return Path(env["BACKTONE_ROUTINES"]).expanduser()
    user_file = user_routines_path(env)
    if user_file.exists():
        return user_file
    return bundled_routines_path()


def resolve_data_dir(option: str | None, env: Mapping[str, str] = os.environ) -> Path:
    """`--data-dir` > $BACKTONE_DATA > the platform's user data dir."""
    if option:
        return Path(option).expanduser()
    if env.get("BACKTONE_DATA"):
        return Path(env["BACKTONE_DATA"]).expanduser()
    return platformdirs.user_data_path(APP_NAME)


def terminal_is_ascii(
    env: Mapping[str, str] = os.environ, utf8_mode: bool = bool(sys.flags.utf8_mode)
) -> bool:
    """Whether to draw in plain ASCII: `$BACKTONE_ASCII` if set, else whether the locale is
    not UTF-8 (LANG=C, POSIX, unset, or a Latin-1 locale), as it was before Python started.

    Python replaces a C locale with C.UTF-8 in LC_CTYPE (PEP 538) and then turns its UTF-8
    mode on; that LC_CTYPE says nothing about the terminal, so it is passed over.
    """
    forced = env.get("BACKTONE_ASCII", "").strip().lower()
    if forced:
        return forced not in ("0", "no", "false", "off")
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = env.get(name, "")
        if not value or (name == "LC_CTYPE" and utf8_mode and value in ("C.UTF-8", "C.utf8")):
            continue
        return "utf8" not in value.lower().replace("-", "")
    return True


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
