"""Figures: small side-view ASCII drawings of a phase's position, checked and mirrored.

A figure comes from a TOML multi-line string, which drops the newline right after its opening
`\"\"\"`. What is kept: every line's indentation, and blank lines at the top (they place a
drawing lower, to line up with the other phase's figure). What is dropped: spaces at the end of
each line and blank lines at the bottom, which no one can see and which would only count
against the size limit.
"""

from __future__ import annotations

MAX_COLUMNS = 28
MAX_ROWS = 8

_MIRRORED = str.maketrans("/\\()<>[]{}", "\\/)(><][}{")


def normalize(figure: str) -> str:
    """The figure as it is stored and shown: line ends trimmed, trailing blank lines gone."""
    lines = [line.rstrip(" ") for line in figure.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def figure_problems(figure: str) -> list[str]:
    """What is wrong with a normalized figure, each as a message to follow its key path."""
    lines = figure.split("\n")
    if not figure:
        return ["is blank; draw something, or leave the key out for no figure"]
    problems = []
    for number, line in enumerate(lines, start=1):
        problem = _line_problem(line)
        if problem:
            problems.append(f"line {number} {problem}")
    widest = max(range(len(lines)), key=lambda i: len(lines[i]))
    width = len(lines[widest])
    if width > MAX_COLUMNS:
        problems.append(f"is {width} columns wide (line {widest + 1}); at most {MAX_COLUMNS}")
    if len(lines) > MAX_ROWS:
        problems.append(f"is {len(lines)} rows tall; at most {MAX_ROWS}")
    return problems


def _line_problem(line: str) -> str | None:
    for char in line:
        if " " <= char <= "~":
            continue
        if char == "\t":
            return "has a tab; use spaces, which show the same in every terminal"
        if char < " " or "\x7f" <= char <= "\x9f":
            return f"contains a control character (U+{ord(char):04X}); remove it"
        return (
            f"has {char!r} (U+{ord(char):04X}); a figure is plain ASCII, "
            "so that every terminal shows it the same"
        )
    return None


def mirror(figure: str) -> str:
    """The figure seen from the other side: lines padded to one width, reversed, and the
    characters that lean or open one way turned the other way."""
    lines = figure.split("\n")
    width = max(len(line) for line in lines)
    return "\n".join(line.ljust(width)[::-1].translate(_MIRRORED) for line in lines)
