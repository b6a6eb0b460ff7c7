"""`[keys]` in settings.toml: a person's own keys for backtone's actions, checked before use.

Each binding of the app has an id (`pause`, `next`, `stop`, ...); an entry maps an id to the
keys that do it from now on, comma separated or as a list: `pause = "k"` makes k pause,
resume and go on, and Space no longer does. A keymap with any problem (an id no binding has,
a key that cannot be typed, one key for two things on one screen) is not used at all: its
message names each problem, and every key keeps its default. Half a keymap could leave a
screen with no key for something.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from textual.binding import Binding, BindingType
from textual.keys import Keys, _normalize_key_list  # what App.set_keymap itself applies

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta"})  # what a terminal can send
# Keys Textual names, without its markers (<any>...) or the ctrl+ combinations it lists.
NAMED_KEYS = frozenset(key.value for key in Keys if "+" not in key.value and "<" not in key.value)
# A printable character is its own key; the named ones as Textual names them (question_mark).
CHARACTER_KEYS = frozenset(_normalize_key_list(c) for c in string.printable if not c.isspace())


@dataclass(frozen=True)
class ScreenKeys:
    """One screen's bindings, and what a person calls the screen."""

    name: str
    bindings: Sequence[Binding]


@dataclass(frozen=True)
class CheckedKeymap:
    keymap: dict[str, str] = field(default_factory=dict)  # for App.set_keymap; empty: defaults
    problems: tuple[str, ...] = ()

    @property
    def warning(self) -> str | None:
        if not self.problems:
            return None
        return f"Ignored [keys] ({'; '.join(self.problems)}); every key is as it was."


def expand(bindings: Iterable[BindingType]) -> list[Binding]:
    """Bindings one key each, as Textual holds them ("right,n" is two)."""
    return list(Binding.make_bindings(bindings))


def typeable(key: str) -> bool:
    """Whether a terminal can send this key: modifiers, then one key Textual knows."""
    *modifiers, base = key.split("+")
    if any(modifier not in MODIFIERS for modifier in modifiers):
        return False
    return base in NAMED_KEYS or base in CHARACTER_KEYS or (len(base) == 1 and base.isprintable())


def check_keymap(raw: Mapping[str, object], screens: Sequence[ScreenKeys]) -> CheckedKeymap:
    """The keymap to set from the `[keys]` table, or none and why."""
    known = {binding.id for screen in screens for binding in screen.bindings if binding.id}
    problems: list[str] = []
    keymap: dict[str, str] = {}
    for binding_id, value in raw.items():
        if binding_id not in known:
            problems.append(f"no action is called {binding_id!r}")
            continue
        keys = _keys_of(value)
        if keys is None:
            problems.append(f'{binding_id} must be a key or a list of keys, as "k" or ["k", "j"]')
            continue
        untyped = [key for key in keys if not typeable(key)]
        if untyped:
            problems.append(f"{binding_id}: {', '.join(map(repr, untyped))} cannot be typed")
            continue
        keymap[binding_id] = ",".join(keys)
    if not problems:
        problems.extend(_clashes(keymap, screens))
    if problems:
        return CheckedKeymap(problems=tuple(problems))
    return CheckedKeymap(keymap=keymap)


def _keys_of(value: object) -> list[str] | None:
    if isinstance(value, str):
        parts = value.split(",")
    elif isinstance(value, list) and all(isinstance(part, str) for part in value):
        parts = list(value)
    else:
        return None
    keys = [part.strip() for part in parts]
    if not keys or not all(keys):
        return None
    return _normalize_key_list(",".join(keys)).split(",")


def _clashes(keymap: Mapping[str, str], screens: Sequence[ScreenKeys]) -> list[str]:
    """One key for two ids on one screen, where the keymap moved one of them there."""
    problems: list[str] = []
    for screen in screens:
        ids_by_key: dict[str, set[str]] = {}
        moved: set[str] = set()
        for binding in screen.bindings:
            if binding.id is None:
                continue
            keys = [binding.key]
            if binding.id in keymap:
                keys = keymap[binding.id].split(",")
                moved.update(keys)
            for key in keys:
                ids_by_key.setdefault(key, set()).add(binding.id)
        for key, ids in ids_by_key.items():
            if len(ids) > 1 and key in moved:
                problems.append(f"{key} would be both {' and '.join(sorted(ids))} on {screen.name}")
    return problems


def ui_screens() -> list[ScreenKeys]:
    """Every screen's bindings with the app's (which work on every screen)."""
    from tui.ui.app import BacktoneApp
    from tui.ui.screens.checkin import CheckInScreen, NoteScreen
    from tui.ui.screens.confirm import ConfirmScreen
    from tui.ui.screens.exercise_card import ExerciseCardScreen
    from tui.ui.screens.help import HelpScreen
    from tui.ui.screens.history_view import HistoryScreen
    from tui.ui.screens.player import SessionScreen
    from tui.ui.screens.problems import ProblemsScreen
    from tui.ui.screens.resume_offer import ResumeScreen
    from tui.ui.screens.routine_list import RoutinesScreen, StepPicker
    from tui.ui.screens.session_detail import SessionDetailScreen
    from tui.ui.screens.session_summary import SummaryScreen

    app_bindings = expand(BacktoneApp.BINDINGS)
    classes = (
        RoutinesScreen,
        StepPicker,
        ExerciseCardScreen,
        CheckInScreen,
        NoteScreen,
        SessionScreen,
        ConfirmScreen,
        SummaryScreen,
        HistoryScreen,
        SessionDetailScreen,
        ResumeScreen,
        ProblemsScreen,
        HelpScreen,
    )
    # Each class's own BINDINGS: the ones it inherits from Textual's Screen (Tab) have no ids.
    return [
        ScreenKeys(screen.HELP_NAME, [*expand(vars(screen).get("BINDINGS", [])), *app_bindings])
        for screen in classes
    ]
