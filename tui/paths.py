"""Where backtone's files live: the bundled resources, the config dir, the routine file and
the data dir, each chosen from an option, an environment variable or the platform default."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

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
