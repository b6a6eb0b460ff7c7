"""A phase's picture in a routine file: a hand-drawn `figure` (schema 2) or a `pose` named from
the built-in library (schema 3), never both."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tui.core.checks import Checks, describe, join
from tui.core.figure import figure_problems, normalize
from tui.core.model import closest_match
from tui.core.poses import POSE_NAMES


def read_picture(
    checks: Checks, table: Mapping[str, Any], path: str, schema: int
) -> tuple[str, str]:
    """The phase's figure and pose ("" for each one it does not give)."""
    figure = read_figure(checks, table, path) if schema >= 2 else ""
    pose = read_pose(checks, table, path) if schema >= 3 else ""
    if schema >= 3 and "figure" in table and "pose" in table:
        # One picture a phase: which of the two to draw would be a guess.
        checks.fail(join(path, "pose"), "a phase has a `figure` or a `pose`, not both; keep one")
    return figure, pose


def read_figure(checks: Checks, table: Mapping[str, Any], path: str) -> str:
    if "figure" not in table:
        return ""
    value = table["figure"]
    if not isinstance(value, str):
        checks.fail(join(path, "figure"), f"must be a string, not {describe(value)}")
        return ""
    # Checked line by line (tabs, controls, non-ASCII, size) by the figure's own rules.
    figure = normalize(value)
    for problem in figure_problems(figure):
        checks.fail(join(path, "figure"), problem)
    return figure


def read_pose(checks: Checks, table: Mapping[str, Any], path: str) -> str:
    if "pose" not in table:
        return ""
    pose = checks.text(table, "pose", path, required=True)
    if pose and pose not in POSE_NAMES:
        guess = closest_match(pose, POSE_NAMES)
        hint = f"did you mean {guess!r}?" if guess else f"the poses: {', '.join(POSE_NAMES)}"
        checks.fail(join(path, "pose"), f"unknown pose {pose!r} ({hint})")
        return ""
    return pose
