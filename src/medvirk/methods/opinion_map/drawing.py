"""The map as an accessible SVG, drawn on the server: no JavaScript, no colour-only meaning.

Each participant in the sample is a dot at their place on the map. A group's dots have
their own shape and colour (circle, square, triangle, diamond, cross, in colours with at
least 3:1 contrast on white), and the group's letter is written at its centre; people not
in a group shown (too few votes, or a group under 5 people) are small grey dots. The SVG
has ``role="img"``, a title and a description in words; the page gives the same facts in
a table beside it.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .queries import MapView

WIDTH, HEIGHT, PAD = 400, 300, 22
FONT_SIZE = 18  # in the drawing's units: at least 14 px on a 320 px wide phone
COLOURS = ("#1e5ea8", "#b3261e", "#1b7a3a", "#6a3fa0", "#8a5a00")
OUTSIDE = "#6b6b6b"
RADIUS = 3.4


def _place(x: float, y: float) -> tuple[float, float]:
    return (
        round(PAD + x * (WIDTH - 2 * PAD), 1),
        # Up is up: the first principal component on x, the second on y.
        round(HEIGHT - PAD - y * (HEIGHT - 2 * PAD), 1),
    )


def _mark(symbol: int, x: float, y: float) -> str:
    colour = COLOURS[symbol % len(COLOURS)]
    r = RADIUS
    kind = symbol % 5
    if kind == 1:
        side = 2 * r
        return (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{side:.1f}" height="{side:.1f}" '
            f'fill="{colour}"/>'
        )
    if kind == 2:
        return (
            f'<polygon points="{x:.1f},{y - r - 0.8:.1f} {x - r - 0.6:.1f},{y + r:.1f} '
            f'{x + r + 0.6:.1f},{y + r:.1f}" fill="{colour}"/>'
        )
    if kind == 3:
        d = r + 0.9
        return (
            f'<polygon points="{x:.1f},{y - d:.1f} {x + d:.1f},{y:.1f} {x:.1f},{y + d:.1f} '
            f'{x - d:.1f},{y:.1f}" fill="{colour}"/>'
        )
    if kind == 4:
        return (
            f'<path d="M{x - r:.1f} {y:.1f}H{x + r:.1f}M{x:.1f} {y - r:.1f}V{y + r:.1f}" '
            f'stroke="{colour}" stroke-width="2.2"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}"/>'


def map_svg(view: MapView, *, title: str, description: str, uid: str, own_text: str) -> SafeString:
    """The drawing of ``view``'s sample of participants, with each shown group's letter.

    ``own_text`` is written after the participant's own group's letter ("you")."""
    symbols = {g.id: g.symbol for g in view.groups if g.shown}
    outside: list[str] = []
    marks: list[str] = []
    centres: dict[int, list[tuple[float, float]]] = {}
    for dot in view.dots:
        x, y = _place(float(dot[0]), float(dot[1]))
        gid = int(dot[2])
        if gid in symbols:
            marks.append(_mark(symbols[gid], x, y))
            centres.setdefault(gid, []).append((x, y))
        else:
            outside.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="{OUTSIDE}"/>')
    labels: list[str] = []
    for group in view.groups:
        places = centres.get(group.id)
        if not group.shown or not places:
            continue
        cx = sum(p[0] for p in places) / len(places)
        cy = sum(p[1] for p in places) / len(places)
        text = group.label + (f" ({own_text})" if group.mine else "")
        cx = min(max(cx, PAD + 10), WIDTH - PAD - 10)
        cy = min(max(cy, PAD + FONT_SIZE), HEIGHT - PAD)
        labels.append(
            f'<text x="{cx:.1f}" y="{cy:.1f}" text-anchor="middle" font-size="{FONT_SIZE}" '
            f'font-weight="700" fill="#111" stroke="#fff" stroke-width="4" '
            f'paint-order="stroke" class="opinion-map__label">{escape(text)}</text>'
        )
    parts = [
        f'<svg class="opinion-map__svg" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(description)}</desc>',
        f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="{HEIGHT - 1}" rx="6" fill="#fff" '
        f'stroke="#8a8a8a"/>',
        '<g class="opinion-map__outside">',
        *outside,
        "</g>",
        '<g class="opinion-map__groups">',
        *marks,
        "</g>",
        *labels,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def legend_symbol(symbol: int) -> SafeString:
    """A small SVG of a group's mark for the legend and the table (hidden from readers)."""
    outside = f'<circle cx="8" cy="8" r="3" fill="{OUTSIDE}"/>'
    body = outside if symbol < 0 else _mark(symbol, 8, 8)
    return mark_safe(  # noqa: S308 - no text from outside
        f'<svg class="opinion-map__key" width="16" height="16" viewBox="3 3 10 10" '
        f'aria-hidden="true" focusable="false">{body}</svg>'
    )
