"""Server-side SVG charts: one module for panel pages (inline SVG) and PDF reports (xhtml2pdf
embeds the same SVG through svglib, see ``as_data_uri``). No JavaScript, no CDN.

Every chart is an ``<svg class="chart" data-chart="<kind>" data-points="<n>">`` with a
``<title>``, so it is accessible and tests can check it was drawn with data.
"""

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#2457c5", "#e07a1f", "#1e8e3e", "#c0392b", "#7b4fc9", "#138d90", "#b7791f", "#5f6b7a")
FONT = 'font-family="system-ui, sans-serif" font-size="11"'


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    color: str | None = None


def _label(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%m-%d %H:%M") if value.hour or value.minute else f"{value:%m-%d}"
    if isinstance(value, date):
        return f"{value:%m-%d}"
    return str(value)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    fraction = value / 10**exponent
    for step in (1, 2, 2.5, 5, 10):
        if fraction <= step:
            return step * 10**exponent
    return 10 ** (exponent + 1)


def _number(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if abs(value) >= 10_000:
        return f"{value / 1000:.0f}k"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


class _Canvas:
    def __init__(self, kind: str, title: str, width: int, height: int, points: int):
        self.parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{kind}" '
            f'data-points="{points}" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label="{escape(title)}">',
            f"<title>{escape(title)}</title>",
        ]

    def add(self, fragment: str) -> None:
        self.parts.append(fragment)

    def text(self, x: float, y: float, text: str, anchor: str = "middle", color="#6b7280"):
        self.add(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{color}" {FONT}>'
            f"{escape(text)}</text>"
        )

    def render(self) -> SafeString:
        return mark_safe("".join([*self.parts, "</svg>"]))  # noqa: S308  (all text escaped)


def _empty(kind: str, title: str, width: int, height: int, message: str) -> SafeString:
    canvas = _Canvas(kind, title, width, height, 0)
    canvas.text(width / 2, height / 2, message)
    return canvas.render()


def _y_axis(canvas: _Canvas, left: int, top: int, right: int, plot_h: int, y_max: float):
    for i in range(5):
        value = y_max * i / 4
        y = top + plot_h - plot_h * i / 4
        canvas.add(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#e5e8ee" '
            'stroke-width="1"/>'
        )
        canvas.text(left - 6, y + 4, _number(value), anchor="end")


def _x_labels(canvas: _Canvas, labels: Sequence, xs: Sequence[float], baseline: float):
    step = max(1, math.ceil(len(labels) / 10))
    for index in range(0, len(labels), step):
        canvas.text(xs[index], baseline + 16, _label(labels[index]))


def _legend(canvas: _Canvas, series: Sequence[Series], left: int, y: float):
    x = left
    for index, item in enumerate(series):
        color = item.color or PALETTE[index % len(PALETTE)]
        canvas.add(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{color}"/>')
        canvas.text(x + 14, y, item.name, anchor="start", color="#1d2330")
        x += 24 + 7 * len(item.name)


def line_chart(
    labels: Sequence,
    series: Sequence[Series],
    *,
    title: str,
    width: int = 720,
    height: int = 260,
    y_max: float | None = None,
    capacity: float | None = None,
) -> SafeString:
    """Lines over shared x labels; ``capacity`` draws a dashed limit line (e.g. seats owned)."""
    points = sum(1 for s in series for v in s.values if v is not None)
    if not labels or not points:
        return _empty("line", title, width, height, "No data for this period")
    left, top, right, bottom = 48, 12, width - 12, height - 44
    plot_w, plot_h = right - left, bottom - top
    peak = max([v for s in series for v in s.values if v is not None] + [capacity or 0])
    top_value = y_max or _nice_max(peak * 1.05)
    canvas = _Canvas("line", title, width, height, points)
    _y_axis(canvas, left, top, right, plot_h, top_value)
    count = len(labels)
    xs = [left + (plot_w * i / (count - 1) if count > 1 else plot_w / 2) for i in range(count)]

    def y_of(value: float) -> float:
        return bottom - plot_h * min(value, top_value) / top_value

    for index, item in enumerate(series):
        color = item.color or PALETTE[index % len(PALETTE)]
        path, pen_down = [], False
        for x, value in zip(xs, item.values, strict=False):
            if value is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{x:.1f},{y_of(value):.1f}")
            pen_down = True
        canvas.add(
            f'<path d="{" ".join(path)}" fill="none" stroke="{color}" stroke-width="2" '
            f'stroke-linejoin="round"><title>{escape(item.name)}</title></path>'
        )
    if capacity:
        y = y_of(capacity)
        canvas.add(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#c0392b" '
            'stroke-dasharray="5,4" stroke-width="1.5"/>'
        )
        canvas.text(
            right - 4, y - 4, f"capacity {_number(capacity)}", anchor="end", color="#c0392b"
        )
    _x_labels(canvas, labels, xs, bottom)
    _legend(canvas, series, left, height - 6)
    return canvas.render()


def bar_chart(
    labels: Sequence,
    series: Sequence[Series],
    *,
    title: str,
    stacked: bool = False,
    width: int = 720,
    height: int = 260,
) -> SafeString:
    """Vertical bars per label; several series side by side, or stacked."""
    points = sum(1 for s in series for v in s.values if v)
    if not labels or not points:
        return _empty("bar", title, width, height, "No data for this period")
    left, top, right, bottom = 48, 12, width - 12, height - 44
    plot_w, plot_h = right - left, bottom - top
    totals = (
        [sum((s.values[i] or 0) for s in series) for i in range(len(labels))]
        if stacked
        else [max((s.values[i] or 0) for s in series) for i in range(len(labels))]
    )
    top_value = _nice_max(max(totals) * 1.05)
    canvas = _Canvas("bar", title, width, height, points)
    _y_axis(canvas, left, top, right, plot_h, top_value)
    slot = plot_w / len(labels)
    bar_w = slot * 0.7 / (1 if stacked else len(series))
    centers = []
    for i, label in enumerate(labels):
        x0 = left + slot * i + slot * 0.15
        centers.append(left + slot * i + slot / 2)
        stack = 0.0
        for index, item in enumerate(series):
            value = item.values[i] or 0
            if not value:
                continue
            color = item.color or PALETTE[index % len(PALETTE)]
            h = plot_h * value / top_value
            x = x0 if stacked else x0 + bar_w * index
            y = bottom - h - (plot_h * stack / top_value if stacked else 0)
            canvas.add(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar_w - 1, 1):.1f}" height="{h:.1f}" '
                f'fill="{color}"><title>{escape(_label(label))} · {escape(item.name)}: '
                f"{_number(value)}</title></rect>"
            )
            stack += value
    _x_labels(canvas, labels, centers, bottom)
    _legend(canvas, series, left, height - 6)
    return canvas.render()


def hbar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 520,
    bar_height: int = 18,
    color: str = PALETTE[0],
    value_format=_number,
) -> SafeString:
    """Horizontal bars, one per (label, value), largest first as given (top-N lists)."""
    if not items:
        return _empty("hbar", title, width, 60, "Nothing to show")
    label_w = min(220, 8 + 7 * max(len(label) for label, _ in items))
    height = 8 + len(items) * (bar_height + 6)
    canvas = _Canvas("hbar", title, width, height, len(items))
    top_value = max(value for _, value in items) or 1
    plot_w = width - label_w - 60
    for index, (label, value) in enumerate(items):
        y = 4 + index * (bar_height + 6)
        w = plot_w * value / top_value
        canvas.text(label_w - 6, y + bar_height - 5, label[:32], anchor="end", color="#1d2330")
        canvas.add(
            f'<rect x="{label_w}" y="{y}" width="{max(w, 1):.1f}" height="{bar_height}" '
            f'fill="{color}" rx="2"><title>{escape(label)}: {value_format(value)}</title></rect>'
        )
        canvas.text(label_w + w + 6, y + bar_height - 5, value_format(value), anchor="start")
    return canvas.render()


def gauge(value: float, total: float, *, title: str, size: int = 120) -> SafeString:
    """A ring showing value/total (saturation, pool availability)."""
    share = 0.0 if not total else max(0.0, min(1.0, value / total))
    radius, stroke = size / 2 - 10, 12
    circumference = 2 * math.pi * radius
    color = PALETTE[3] if share >= 0.9 else PALETTE[6] if share >= 0.75 else PALETTE[2]
    canvas = _Canvas("gauge", title, size, size, 1)
    center = size / 2
    canvas.add(
        f'<circle cx="{center}" cy="{center}" r="{radius}" fill="none" stroke="#eef1f6" '
        f'stroke-width="{stroke}"/>'
        f'<circle cx="{center}" cy="{center}" r="{radius}" fill="none" stroke="{color}" '
        f'stroke-width="{stroke}" stroke-dasharray="{circumference * share:.1f} '
        f'{circumference:.1f}" transform="rotate(-90 {center} {center})"/>'
    )
    canvas.add(
        f'<text x="{center}" y="{center + 6}" text-anchor="middle" font-size="18" '
        f'font-family="system-ui, sans-serif" fill="#1d2330">{share * 100:.0f}%</text>'
    )
    return canvas.render()


def as_data_uri(svg: str) -> str:
    """``data:`` URI of an SVG, for ``<img src>`` in PDFs rendered by xhtml2pdf."""
    return "data:image/svg+xml;base64," + base64.b64encode(str(svg).encode()).decode()
