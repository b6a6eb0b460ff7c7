"""A posed figure as a small standalone SVG, for pages (the HTML report) that show the same
positions as the terminal.

Inline and self-contained: no external references, no script, no fonts. Strokes and the head
take `currentColor`, so the page's colour (and a print stylesheet) decides how it looks; the
chair and the mat are drawn lighter, as behind the person.
"""

from __future__ import annotations

from html import escape

from tui.core.body import STROKE_WIDTH, Curve, Disc, Figure, Point, Weight, mirrored_shape

MARGIN = 0.04  # around the figure, in standing heights: round caps stay inside the box
LIGHT = {Weight.PROP: "0.6", Weight.MAT: "0.45"}


def figure_svg(
    figure: Figure, *, height: float = 96.0, mirrored: bool = False, label: str = ""
) -> str:
    """`figure` as an `<svg>` element `height` CSS pixels tall, as wide as its shape needs.

    `label` becomes its accessible name (a `<title>`), escaped; without one the image is
    marked decorative."""
    left, top = figure.left - MARGIN, figure.top + MARGIN
    width = figure.width + 2 * MARGIN
    tall = figure.height + 2 * MARGIN
    shapes = [mirrored_shape(shape) for shape in figure.shapes] if mirrored else figure.shapes
    if mirrored:
        left = -(figure.right + MARGIN)

    def at(point: Point) -> str:
        return f"{_number(point[0] - left)} {_number(top - point[1])}"

    parts: list[str] = []
    for shape in shapes:
        if isinstance(shape, Disc):
            x, y = at(shape.centre).split()
            parts.append(f'<circle cx="{x}" cy="{y}" r="{_number(shape.radius)}" stroke="none"/>')
            continue
        if isinstance(shape, Curve):
            path = f"M{at(shape.start)} Q{at(shape.control)} {at(shape.end)}"
        else:
            path = "M" + " L".join(at(point) for point in shape.points)
        light = LIGHT.get(shape.weight)
        opacity = f' stroke-opacity="{light}"' if light else ""
        parts.append(
            f'<path d="{path}" fill="none" stroke-width="{_number(STROKE_WIDTH[shape.weight])}"'
            f"{opacity}/>"
        )
    pixel_width = height * width / tall
    accessible = (
        f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
        if label
        else 'aria-hidden="true">'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_number(width)} {_number(tall)}"'
        f' width="{_number(pixel_width, 1)}" height="{_number(height, 1)}"'
        ' fill="currentColor" stroke="currentColor" stroke-linecap="round"'
        f' stroke-linejoin="round" {accessible}' + "".join(parts) + "</svg>"
    )


def _number(value: float, places: int = 4) -> str:
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
