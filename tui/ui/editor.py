"""Which editor `e` opens, found and checked before the app hands the terminal over: an editor
that cannot start must be a notice, not a blank screen or a traceback."""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Mapping

FALLBACK_EDITORS = ("sensible-editor", "nano", "vim", "vi")


class EditorProblem(Exception):
    """No usable editor: the message says which variable to fix and how."""


def find_editor(env: Mapping[str, str] | None = None) -> list[str]:
    """$VISUAL, then $EDITOR, then the first common editor on the PATH, as an argument list
    whose program exists."""
    env = os.environ if env is None else env
    for variable in ("VISUAL", "EDITOR"):
        command = env.get(variable, "").strip()
        if not command:
            continue
        try:
            words = shlex.split(command)
        except ValueError as error:
            raise EditorProblem(
                f"${variable} is not a valid command ({error}): {command!r}. "
                f"Fix it, for example `export {variable}=nano`."
            ) from None
        if not words:
            continue
        if shutil.which(words[0], path=env.get("PATH")) is None:
            raise EditorProblem(
                f"The editor in ${variable}, {words[0]!r}, is not installed or not on the PATH. "
                f"Install it, or set {variable} to another editor (`export {variable}=nano`)."
            )
        return words
    for name in FALLBACK_EDITORS:
        found = shutil.which(name, path=env.get("PATH"))
        if found:
            return [found]
    raise EditorProblem(
        "No editor found: set $VISUAL or $EDITOR (for example `export EDITOR=nano`)."
    )
