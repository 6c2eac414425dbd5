"""Server-side SVG charts for the printed briefing: pure Python, no browser, no ORM.

Each chart takes the payload's lists (see `bars()`), scales with Decimal arithmetic (no float
creeps into a coordinate), escapes every label and returns a SafeString of one `<svg>` element
with `role="img"`, an `aria-label` and a `<title>`, ready to embed in an HTML page that
WeasyPrint renders. An empty list, or one with nothing above zero to draw, gives the
empty-data variant: a framed box with a sentence.

- `bar_chart`: vertical bars, one per item (savings by measure, shortfall distribution);
- `horizontal_bar_chart`: one row per item, largest first as given (top enterprises);
- `stacked_month_chart`: one column per month, a segment per series (on-site and remote).

A negative value (a verification that lowered an allocation) is drawn as no bar; its printed
value still says what it is.
"""

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .numbers import to_decimal

FONT = "Noto Sans CJK SC, Noto Sans CJK, Noto Sans, sans-serif"
INK = "#212529"
MUTED = "#6c757d"
RULE = "#adb5bd"
PALETTE = ("#198754", "#0d6efd", "#fd7e14", "#6f42c1", "#20c997", "#d63384")
ZERO = Decimal(0)
PIXEL = Decimal("0.01")
MAX_BAR = 72  # the widest a vertical bar gets, in pixels, however few the bars


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    text: str  # the value as printed beside the bar


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[Decimal, ...]  # one per month
    colour: str


def bars(
    items: Iterable[Mapping],
    *,
    value: str,
    formatter: Callable[[object], str],
    label: str = "label",
) -> list[Bar]:
    """One Bar per payload item: its `label` key, the figure under `value` (a decimal string
    or an int; a missing one counts as 0) and that figure as `formatter` prints it."""
    return [
        Bar(
            label=str(item.get(label) or ""),
            value=to_decimal(item.get(value)) or ZERO,
            text=formatter(item.get(value)),
        )
        for item in items
    ]


def scale(value: Decimal, maximum: Decimal, length: int | Decimal) -> Decimal:
    """`length` × value ÷ maximum, to a hundredth of a pixel; 0 for a value that is not
    positive or when there is nothing to scale by."""
    if maximum <= 0 or value <= 0:
        return ZERO
    return (Decimal(length) * value / maximum).quantize(PIXEL, rounding=ROUND_HALF_UP)


# Drawing -------------------------------------------------------------------------------------


def _n(number: int | Decimal) -> str:
    """A coordinate as SVG wants it: plain digits, no exponent, no trailing zeros."""
    text = f"{Decimal(number).quantize(PIXEL, rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _em(text: str) -> Decimal:
    """The width of `text` in ems, roughly: a CJK character is one em, others about half."""
    return sum(
        (Decimal(1) if unicodedata.east_asian_width(c) in "WF" else Decimal("0.58") for c in text),
        ZERO,
    )


def fit(text: str, *, width: int | Decimal, font_size: int) -> str:
    """`text` cut short with an ellipsis so that it fits `width` pixels."""
    room = Decimal(width) / font_size
    if _em(text) <= room:
        return text
    while text and _em(text) + 1 > room:
        text = text[:-1]
    return f"{text.rstrip()}…"


def _join(parts: Iterable[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _text(x, y, content: str, *, size: int = 10, anchor: str = "middle", fill: str = INK):
    return format_html(
        '<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="{}">{}</text>',
        _n(x),
        _n(y),
        size,
        anchor,
        fill,
        content,
    )


def _rect(x, y, width, height, *, fill: str, tooltip: str, css: str = "bar"):
    return format_html(
        '<rect class="{}" x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
        css,
        _n(x),
        _n(y),
        _n(width),
        _n(height),
        fill,
        tooltip,
    )


def _svg(*, title: str, width: int, height: int, body: Iterable[SafeString], css: str):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart {}" width="{}" height="{}" '
        'viewBox="0 0 {} {}" role="img" aria-label="{}" font-family="{}">'
        "<title>{}</title>{}</svg>",
        css,
        width,
        height,
        width,
        height,
        title,
        FONT,
        title,
        _join(body),
    )


def empty_chart(text: str, *, title: str, width: int = 640, height: int = 120) -> SafeString:
    """The empty-data variant: a dashed frame saying `text` where the chart would be."""
    body = [
        format_html(
            '<rect class="empty" x="1" y="1" width="{}" height="{}" fill="none" stroke="{}" '
            'stroke-dasharray="4 3"/>',
            width - 2,
            height - 2,
            RULE,
        ),
        _text(Decimal(width) / 2, Decimal(height) / 2 + 4, text, size=12, fill=MUTED),
    ]
    return _svg(title=title, width=width, height=height, body=body, css="chart-empty")


def _tooltip(bar: Bar) -> str:
    return f"{bar.label}: {bar.text}"


def _summary(title: str, items: Iterable[Bar]) -> str:
    """The chart's text alternative: its title, then each label with its value."""
    return f"{title}: " + "; ".join(_tooltip(bar) for bar in items)


def bar_chart(
    items: Sequence[Bar], *, title: str, empty_text: str, width: int = 640, height: int = 220
) -> SafeString:
    """Vertical bars, one per item, each labelled beneath and valued above."""
    if not _drawable(bar.value for bar in items):
        return empty_chart(empty_text, title=title, width=width)
    top, bottom, side = 22, 34, 8
    base = height - bottom
    slot = Decimal(width - 2 * side) / len(items)
    bar_width = min(slot * Decimal("0.6"), Decimal(MAX_BAR)).quantize(PIXEL)
    maximum = max(bar.value for bar in items)
    body = [_line(side, base, width - side, base)]
    for index, (bar, colour) in enumerate(zip(items, _colours(len(items)), strict=True)):
        centre = side + slot * index + slot / 2
        length = scale(bar.value, maximum, base - top)
        body += [
            _rect(
                centre - bar_width / 2,
                base - length,
                bar_width,
                length,
                fill=colour,
                tooltip=_tooltip(bar),
            ),
            _text(centre, base - length - 5, fit(bar.text, width=slot, font_size=10)),
            _text(centre, base + 15, fit(bar.label, width=slot - 4, font_size=10)),
        ]
    return _svg(title=_summary(title, items), width=width, height=height, body=body, css="bars")


def horizontal_bar_chart(
    items: Sequence[Bar], *, title: str, empty_text: str, width: int = 640, row: int = 24
) -> SafeString:
    """One row per item: its label on the left, the bar, its value after the bar."""
    if not _drawable(bar.value for bar in items):
        return empty_chart(empty_text, title=title, width=width)
    label_width, value_width, top = 220, 110, 6
    height = top * 2 + row * len(items)
    room = width - label_width - value_width
    maximum = max(bar.value for bar in items)
    body = [_line(label_width, top, label_width, height - top)]
    for index, bar in enumerate(items):
        y = Decimal(top + row * index)
        middle = y + Decimal(row) / 2 + 4
        length = scale(bar.value, maximum, room)
        body += [
            _text(
                label_width - 6,
                middle,
                fit(bar.label, width=label_width - 10, font_size=10),
                anchor="end",
            ),
            _rect(label_width, y + 4, length, row - 8, fill=PALETTE[0], tooltip=_tooltip(bar)),
            _text(label_width + length + 4, middle, bar.text, anchor="start"),
        ]
    return _svg(title=_summary(title, items), width=width, height=height, body=body, css="hbars")


def stacked_month_chart(
    months: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    empty_text: str,
    width: int = 640,
    height: int = 240,
) -> SafeString:
    """One column per month, stacking a segment per series, its total above it; a legend."""
    if not months or not _drawable(v for entry in series for v in entry.values):
        return empty_chart(empty_text, title=title, width=width)
    top, bottom, side, legend = 40, 30, 8, 14
    base = height - bottom
    slot = Decimal(width - 2 * side) / len(months)
    column = (slot * Decimal("0.62")).quantize(PIXEL)
    totals = [sum((s.values[i] for s in series), ZERO) for i in range(len(months))]
    maximum = max(totals)
    body = [_line(side, base, width - side, base)]
    x = Decimal(side)
    for entry in series:
        body += [
            format_html(
                '<rect class="legend" x="{}" y="{}" width="10" height="10" fill="{}"/>',
                _n(x),
                legend - 9,
                entry.colour,
            ),
            _text(x + 14, legend, entry.label, anchor="start"),
        ]
        x += 14 + Decimal(fit_width(entry.label, 10)) + 16
    for index, (month, total) in enumerate(zip(months, totals, strict=True)):
        centre = side + slot * index + slot / 2
        y = Decimal(base)
        for entry in series:
            length = scale(entry.values[index], maximum, base - top)
            y -= length
            body.append(
                _rect(
                    centre - column / 2,
                    y,
                    column,
                    length,
                    fill=entry.colour,
                    tooltip=f"{month} {entry.label}: {_plain(entry.values[index])}",
                )
            )
        body += [
            _text(centre, y - 4, _plain(total), size=9),
            _text(centre, base + 14, fit(month, width=slot, font_size=9), size=9),
        ]
    described = f"{title}: " + "; ".join(
        f"{month} " + ", ".join(f"{s.label} {_plain(s.values[i])}" for s in series)
        for i, month in enumerate(months)
    )
    return _svg(title=described, width=width, height=height, body=body, css="stacked")


def fit_width(text: str, font_size: int) -> Decimal:
    """How many pixels `text` takes at `font_size`, roughly."""
    return (_em(text) * font_size).quantize(PIXEL)


def _plain(value: Decimal) -> str:
    return f"{value.normalize():,f}"


def _line(x1, y1, x2, y2):
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
        _n(x1),
        _n(y1),
        _n(x2),
        _n(y2),
        RULE,
    )


def _drawable(values: Iterable[Decimal]) -> bool:
    """Whether there is anything to draw: at least one positive value."""
    return any(value > 0 for value in values)


def _colours(count: int) -> list[str]:
    return [PALETTE[i % len(PALETTE)] for i in range(count)]
