"""Simple charts as inline SVG, drawn in Python for the printed report: no browser, no JavaScript. WeasyPrint
renders the SVG with the document's fonts, so Chinese labels print in the report's own typeface."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

PALETTE = ("#3b6ea5", "#d9822b", "#5a9e6f", "#b5475a", "#7d6bb0", "#8c8c8c", "#c9a227")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int | float | Decimal]
    color: str = ""


def _number(value) -> float:
    return float(value or 0)


def _label(value: float) -> str:
    if value >= 10000:
        return f"{value / 10000:.1f}万"
    if value == int(value):
        return f"{int(value)}"
    return f"{value:.1f}"


def _nice_max(value: float) -> float:
    """The axis top: 1, 2, 2.5 or 5 times a power of ten, at least `value`."""
    if value <= 0:
        return 1.0
    power = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10.0 * power


def _text(
    x: float, y: float, text: str, *, size: int = 10, anchor: str = "middle", fill: str = "#333"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">'
        f"{escape(text)}</text>"
    )


def _legend(series: Sequence[tuple[str, str]], x: float, y: float) -> list[str]:
    parts, cursor = [], x
    for name, color in series:
        parts.append(f'<rect x="{cursor:.1f}" y="{y - 8:.1f}" width="10" height="10" fill="{color}"/>')
        parts.append(_text(cursor + 14, y + 1, name, anchor="start"))
        cursor += 24 + 11 * len(name)
    return parts


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool = False,
    width: int = 640,
    height: int = 240,
    show_values: bool = True,
) -> str:
    """Vertical bars per category: one bar per series side by side, or the series stacked."""
    colors = [s.color or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]
    left, right, top, bottom = 44, 10, 26, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    if stacked:
        peak = max((sum(_number(s.values[i]) for s in series) for i in range(len(categories))), default=0)
    else:
        peak = max((_number(v) for s in series for v in s.values), default=0)
    top_value = _nice_max(peak)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="chart" font-family="Certificate Serif, Noto Serif CJK SC, serif">'
    ]
    for step in range(5):  # the grid and the axis labels
        value = top_value * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd" stroke-width="0.6"/>'
        )
        parts.append(_text(left - 4, y + 3, _label(value), size=8, anchor="end", fill="#666"))
    slot = plot_w / max(len(categories), 1)
    bar_w = slot * 0.7 / (1 if stacked else max(len(series), 1))
    for i, category in enumerate(categories):
        x0 = left + slot * i + slot * 0.15
        base = top + plot_h
        for j, s in enumerate(series):
            value = _number(s.values[i])
            h = plot_h * value / top_value
            x = x0 if stacked else x0 + bar_w * j
            y = base - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colors[j]}"/>'
            )
            if show_values and value and not stacked:
                parts.append(_text(x + bar_w / 2, y - 2, _label(value), size=7))
            if stacked:
                base = y
        if show_values and stacked:
            total = sum(_number(s.values[i]) for s in series)
            parts.append(_text(x0 + bar_w / 2, base - 2, _label(total), size=7))
        parts.append(_text(left + slot * i + slot / 2, top + plot_h + 12, category[:8], size=8))
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#888"/>'
    )
    if len(series) > 1 or series and series[0].name:
        parts.extend(_legend([(s.name, c) for s, c in zip(series, colors, strict=True)], left, 12))
    parts.append("</svg>")
    return "".join(parts)


def pie_chart(
    items: Sequence[tuple[str, int | float | Decimal]], *, width: int = 320, height: int = 200
) -> str:
    """A pie with its legend (label, value, share) on the right; an empty grey circle when all are zero."""
    total = sum(_number(v) for _, v in items)
    cx, cy, r = height / 2, height / 2, height / 2 - 12
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="chart" font-family="Certificate Serif, Noto Serif CJK SC, serif">'
    ]
    if total <= 0:
        parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="#eee"/>')
    angle = -math.pi / 2
    for i, (_, value) in enumerate(items):
        share = _number(value) / total if total else 0
        if share <= 0:
            continue
        color = PALETTE[i % len(PALETTE)]
        if share >= 0.9999:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{color}"/>')
            continue
        end = angle + 2 * math.pi * share
        x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
        x2, y2 = cx + r * math.cos(end), cy + r * math.sin(end)
        large = 1 if share > 0.5 else 0
        parts.append(
            f'<path d="M{cx:.1f},{cy:.1f} L{x1:.1f},{y1:.1f} A{r:.1f},{r:.1f} 0 {large} 1 {x2:.1f},{y2:.1f} Z" '
            f'fill="{color}" stroke="#fff" stroke-width="1"/>'
        )
        angle = end
    for i, (label, value) in enumerate(items):
        y = 24 + i * 18
        share = _number(value) / total * 100 if total else 0
        parts.append(
            f'<rect x="{height + 4}" y="{y - 9}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
        )
        parts.append(
            _text(height + 18, y, f"{label} {_label(_number(value))}（{share:.0f}%）", anchor="start")
        )
    parts.append("</svg>")
    return "".join(parts)
