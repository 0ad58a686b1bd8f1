"""WHO growth chart curves and an SVG renderer (pure numpy and the standard library, no Django).

``curves(sex, indicator)`` gives the -3, -2, 0, +2 and +3 SD lines of one WHO chart, computed from the LMS
tables shipped in ``mamnon/calc/data`` (the same files ``mamnon.calc.growth`` reads) with the LMS formula

    value(z) = M * (1 + L * S * z) ** (1 / L)        (M * exp(S * z) when L = 0)

which is how WHO computes the SD columns of its published tables (WHO Child Growth Standards, Methods and
development, 2006, chapter 2; the restricted extension beyond +/-3 SD only concerns z-scores of a measured
child, not the +/-3 SD lines themselves).

Indicators and references, as ``mamnon.calc.growth.zscores`` uses them:

* ``wfa`` weight-for-age, ``lhfa`` length/height-for-age, ``bfa`` BMI-for-age: x is the age in months
  (age_days / 30.4375). The WHO 2006 standards (day rows) below 60 months, the WHO 2007 reference (monthly
  rows) from 60 months; ``lhfa`` and ``bfa`` break at 731 days where length (lying) gives way to height
  (standing), as on WHO's own 0-2 and 2-5 year charts. The x axis of a chart is one continuous age axis; the
  curves come in segments (2006 length, 2006 height, 2007) so that no line joins two references.
* ``wfl`` weight-for-length (45-110 cm, children under 731 days) and ``wfh`` weight-for-height (65-120 cm,
  731 days to 60 months): x is the length or height in cm.

``child_points`` places a child's measurements on the same axes (heights adjusted by WHO's lying/standing
rule, so that a point sits where its z-score says), and ``render_svg`` draws a printable chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from mamnon.calc.growth import DATA_DIR, DAYS_PER_MONTH

__all__ = [
    "AGE_INDICATORS",
    "INDICATORS",
    "SDS",
    "Curves",
    "Layout",
    "Segment",
    "adjusted_height",
    "child_points",
    "curves",
    "lms_value",
    "render_svg",
]

SDS = (-3, -2, 0, 2, 3)
AGE_INDICATORS = ("wfa", "lhfa", "bfa")
HEIGHT_INDICATORS = ("wfl", "wfh")
INDICATORS = AGE_INDICATORS + HEIGHT_INDICATORS

LAST_DAY_2006 = 1826  # the last day row used (age_days / 30.4375 < 60)
LENGTH_UNTIL_DAY = 731  # length (lying) below, height (standing) from here
SWITCH_MONTHS = 60.0  # WHO 2006 standards below, WHO 2007 reference from here
# The last month WHO published in its 2007 tables (the CSVs repeat one more row for interpolation).
LAST_MONTH_2007 = {"wfa": 120, "lhfa": 228, "bfa": 228}
HEIGHT_RANGE = {"wfl": (45.0, 110.0), "wfh": (65.0, 120.0)}
FILES = {
    "wfa": ("wfa_2006.csv", "wfa_2007.csv"),
    "lhfa": ("lhfa_2006.csv", "hfa_2007.csv"),
    "bfa": ("bfa_2006.csv", "bfa_2007.csv"),
    "wfl": ("wfl_2006.csv", None),
    "wfh": ("wfh_2006.csv", None),
}
MAX_POINTS = 400  # per curve and chart: enough for a smooth line, small enough for a light SVG


def lms_value(L, M, S, z):
    """The measurement at z-score ``z`` for the LMS parameters (arrays broadcast)."""
    L, M, S = (np.asarray(a, dtype=np.float64) for a in (L, M, S))
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        power = M * np.power(1.0 + L * S * z, 1.0 / np.where(L == 0, 1.0, L))
    return np.where(L == 0, M * np.exp(S * z), power)


def _sex_code(sex) -> int:
    text = str(sex).strip().upper()
    if text in ("1", "M", "MALE", "NAM"):
        return 1
    if text in ("2", "F", "FEMALE", "NU", "NỮ"):
        return 2
    raise ValueError(f"unknown sex {sex!r}")


@lru_cache(maxsize=16)
def _table(name: str) -> np.ndarray:
    return np.loadtxt(DATA_DIR / name, delimiter=",", skiprows=1, ndmin=2, dtype=np.float64)


@dataclass(frozen=True)
class Segment:
    """One unbroken stretch of a chart's curves: x values and the LMS parameters at each."""

    x: np.ndarray
    L: np.ndarray
    M: np.ndarray
    S: np.ndarray
    reference: str  # "WHO 2006" or "WHO 2007"

    def curve(self, z: float) -> np.ndarray:
        return lms_value(self.L, self.M, self.S, z)


@dataclass(frozen=True)
class Curves:
    """The SD lines of one chart: a sex, an indicator, its segments, and the x unit ('months' or 'cm')."""

    sex: int
    indicator: str
    x_unit: str
    segments: tuple[Segment, ...]
    sds: tuple[int, ...] = SDS

    @property
    def x_min(self) -> float:
        return float(min(s.x[0] for s in self.segments))

    @property
    def x_max(self) -> float:
        return float(max(s.x[-1] for s in self.segments))

    def values(self, z: float) -> list[np.ndarray]:
        """The curve at ``z`` (one array per segment)."""
        return [s.curve(z) for s in self.segments]


def _stride_take(rows: np.ndarray, stride: int) -> np.ndarray:
    """Every ``stride``-th row, always with the last one."""
    idx = np.arange(0, len(rows), max(1, stride))
    if len(rows) and idx[-1] != len(rows) - 1:
        idx = np.append(idx, len(rows) - 1)
    return rows[idx]


def curves(sex, indicator: str, x_from: float | None = None, x_to: float | None = None,
           max_points: int = MAX_POINTS) -> Curves:
    """The -3, -2, 0, +2, +3 SD lines of ``indicator`` for ``sex`` between ``x_from`` and ``x_to``.

    Age indicators: x in months, by default from 0 to the last month WHO published (120 for weight-for-age,
    228 otherwise). Weight-for-length/height: x in cm, by default the table's whole range. Rows are thinned
    to about ``max_points`` per curve (the tabulated rows themselves, never interpolated ones).
    """
    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}")
    code = _sex_code(sex)
    file06, file07 = FILES[indicator]
    t06 = _table(file06)
    t06 = t06[t06[:, 0] == code]
    if indicator in HEIGHT_INDICATORS:
        low, high = HEIGHT_RANGE[indicator]
        lo = low if x_from is None else max(low, x_from)
        hi = high if x_to is None else min(high, x_to)
        rows = t06[(t06[:, 1] >= lo - 1e-9) & (t06[:, 1] <= hi + 1e-9)]
        if not len(rows):
            raise ValueError(f"no {indicator} rows between {lo} and {hi} cm")
        rows = _stride_take(rows, math.ceil(len(rows) / max_points))
        seg = Segment(rows[:, 1].copy(), rows[:, 2].copy(), rows[:, 3].copy(), rows[:, 4].copy(), "WHO 2006")
        return Curves(code, indicator, "cm", (seg,))

    last_month = LAST_MONTH_2007[indicator]
    lo = 0.0 if x_from is None else max(0.0, float(x_from))
    hi = float(last_month) if x_to is None else min(float(last_month), float(x_to))
    if hi <= lo:
        raise ValueError("empty age range")
    first_day = math.ceil(lo * DAYS_PER_MONTH - 1e-9)
    last_day = min(LAST_DAY_2006, math.floor(hi * DAYS_PER_MONTH + 1e-9))
    t07 = _table(file07)
    t07 = t07[(t07[:, 0] == code) & (t07[:, 1] >= max(SWITCH_MONTHS, math.ceil(lo))) & (t07[:, 1] <= hi)]
    days_total = max(0, last_day - first_day + 1)
    # One stride for every 2006 segment: the density of points follows the share of the axis covered.
    share06 = min(hi, SWITCH_MONTHS) - lo if lo < SWITCH_MONTHS else 0.0
    budget06 = max(2, round(max_points * share06 / (hi - lo)))
    stride = max(1, math.ceil(days_total / budget06)) if days_total else 1
    breaks = [LENGTH_UNTIL_DAY] if indicator in ("lhfa", "bfa") else []
    segments = []
    start = first_day
    for end in [*[b - 1 for b in breaks if first_day < b <= last_day], last_day]:
        if start > end:
            continue
        rows = t06[(t06[:, 1] >= start) & (t06[:, 1] <= end)]
        rows = _stride_take(rows, stride)
        segments.append(Segment(rows[:, 1] / DAYS_PER_MONTH, rows[:, 2].copy(), rows[:, 3].copy(),
                                rows[:, 4].copy(), "WHO 2006"))
        start = end + 1
    if len(t07):
        segments.append(Segment(t07[:, 1].copy(), t07[:, 2].copy(), t07[:, 3].copy(), t07[:, 4].copy(),
                                "WHO 2007"))
    if not segments:
        raise ValueError("empty age range")
    return Curves(code, indicator, "months", tuple(segments))


# ---------------------------------------------------------------------------------------------------------------
# A child's points


def _position(v) -> float:
    """1.0 lying, 0.0 standing, NaN unknown (None or NaN)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return math.nan
    return 1.0 if bool(v) else 0.0


def adjusted_height(age_days, height_cm, measured_lying) -> np.ndarray:
    """Length below 731 days, height from 731, as WHO's ``adjust_lenhei`` (see mamnon.calc.growth).

    A standing height under 731 days gets +0.7 cm, a lying length from 731 days -0.7 cm; a standing height
    under 9 months counts as position unknown (no change), and so does an unknown position (None/NaN).
    """
    age = np.asarray(age_days, dtype=np.float64)
    h = np.asarray(height_cm, dtype=np.float64).copy()
    lying = np.array([_position(v) for v in np.ravel(np.asarray(measured_lying, dtype=object))], dtype=np.float64)
    lying = lying.reshape(np.shape(h)) if lying.size == h.size else np.full(np.shape(h), np.nan)
    standing_young = (lying == 0) & (age < LENGTH_UNTIL_DAY) & (age / DAYS_PER_MONTH >= 9.0)
    lying_old = (lying == 1) & (age >= LENGTH_UNTIL_DAY)
    h[standing_young] += 0.7
    h[lying_old] -= 0.7
    return h


def child_points(indicator: str, age_days, weight_kg, height_cm, measured_lying=None) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of a child's measurements on ``indicator``'s chart; NaN where the chart has no place for them.

    Age in months = age_days / 30.4375; heights adjusted by ``adjusted_height``; BMI = weight / (height/100)^2.
    Weight-for-length takes ages below 731 days, weight-for-height 731 days to 60 months, each within its
    table's heights.
    """
    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator {indicator!r}")
    age = np.asarray(age_days, dtype=np.float64)
    n = age.size
    w = np.asarray(weight_kg if weight_kg is not None else [np.nan] * n, dtype=np.float64)
    h_raw = np.asarray(height_cm if height_cm is not None else [np.nan] * n, dtype=np.float64)
    lying = [None] * n if measured_lying is None else list(measured_lying)
    h = adjusted_height(age, h_raw, lying)
    months = age / DAYS_PER_MONTH
    w = np.where(w > 0, w, np.nan)
    h = np.where(h > 0, h, np.nan)
    age_ok = age >= 0
    if indicator == "wfa":
        x, y = months, np.where(age_ok & (months < LAST_MONTH_2007["wfa"] + 1), w, np.nan)
    elif indicator == "lhfa":
        x, y = months, np.where(age_ok, h, np.nan)
    elif indicator == "bfa":
        with np.errstate(invalid="ignore", divide="ignore"):
            x, y = months, np.where(age_ok, w / (h / 100.0) ** 2, np.nan)
    else:
        low, high = HEIGHT_RANGE[indicator]
        ages = (age >= 0) & (age < LENGTH_UNTIL_DAY) if indicator == "wfl" else (
            (age >= LENGTH_UNTIL_DAY) & (months < SWITCH_MONTHS))
        inside = ages & (h >= low) & (h <= high)
        x, y = np.where(inside, h, np.nan), np.where(inside, w, np.nan)
    x = np.where(np.isfinite(y), x, np.nan)
    return x, y


# ---------------------------------------------------------------------------------------------------------------
# SVG


@dataclass(frozen=True)
class Layout:
    """Pixel geometry of the chart: the plot area is [left, width - right] x [top, height - bottom]."""

    width: int = 760
    height: int = 520
    left: int = 64
    right: int = 44
    top: int = 56
    bottom: int = 56

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom


@dataclass(frozen=True)
class _Scale:
    x0: float
    x1: float
    y0: float
    y1: float
    layout: Layout = field(default_factory=Layout)

    def px(self, x):
        return self.layout.left + (np.asarray(x, dtype=np.float64) - self.x0) / (self.x1 - self.x0) * \
            self.layout.plot_width

    def py(self, y):
        return self.layout.top + self.layout.plot_height - \
            (np.asarray(y, dtype=np.float64) - self.y0) / (self.y1 - self.y0) * self.layout.plot_height


def _nice_step(span: float, target: int, bases=(1.0, 2.0, 5.0)) -> float:
    """The smallest step base * 10^k (base in ``bases``) giving at most ``target`` intervals over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / target
    k = math.floor(math.log10(raw))
    for exp in (k - 1, k, k + 1):
        for base in bases:
            step = base * 10**exp
            if step >= raw * (1 - 1e-9):
                return step
    return 10 ** (k + 1) * bases[0]


def _month_step(span: float, target: int) -> float:
    for step in (1, 2, 3, 6, 12, 24):
        if span / step <= target:
            return float(step)
    return 24.0


def _ticks(lo: float, hi: float, step: float) -> list[float]:
    first = math.ceil(lo / step - 1e-9) * step
    out, v = [], first
    while v <= hi + step * 1e-9:
        out.append(round(v, 10))
        v += step
    return out


def _fmt(v: float) -> str:
    return f"{v:.2f}"


def _num(v: float) -> str:
    """A tick label: no trailing zeros, Vietnamese decimal comma."""
    text = f"{v:.1f}".rstrip("0").rstrip(".") if abs(v - round(v)) > 1e-9 else str(int(round(v)))
    return text.replace(".", ",")


SD_STYLE = {0: ("#1b7f3b", 2.2), 2: ("#c0392b", 1.6), -2: ("#c0392b", 1.6), 3: ("#222222", 1.4), -3: ("#222222", 1.4)}


def render_svg(chart: Curves, *, title: str, x_label: str, y_label: str, points=None, point_titles=None,
               x_range: tuple[float, float] | None = None, y_range: tuple[float, float] | None = None,
               subtitle: str = "", layout: Layout | None = None, sd_labels: dict | None = None,
               uid: str = "growth") -> str:
    """A standalone SVG chart: axes with ticks, grid and labels, the SD curves labelled at their right end, the
    child's points (``points`` = (x, y) arrays; NaN skipped) joined in x order, and ``title`` (any language).

    ``x_range``/``y_range`` fix the axes (defaults: the curves' x range; y from the -3 to the +3 curve over it,
    widened to the points, rounded to a tick). Each point is a ``<circle class="child-point">`` with
    ``data-x``/``data-y`` (the values) and an optional ``<title>`` from ``point_titles``. ``uid`` prefixes the
    SVG's internal ids (several charts on one page).
    """
    clip = f"{uid}-plot-area"
    layout = layout or Layout()
    sd_labels = sd_labels or {z: ("0" if z == 0 else f"{z:+d}") for z in chart.sds}
    if points is not None:
        px_arr, py_arr = (np.asarray(a, dtype=np.float64) for a in points)
        keep = np.isfinite(px_arr) & np.isfinite(py_arr)
        order = np.argsort(px_arr[keep], kind="stable")
        idx = np.flatnonzero(keep)[order]
        titles = list(point_titles) if point_titles is not None else None
    else:
        px_arr = py_arr = np.array([])
        idx = np.array([], dtype=int)
        titles = None
    if x_range is None:
        x_range = (chart.x_min, chart.x_max)
    x0, x1 = float(x_range[0]), float(x_range[1])
    if chart.x_unit == "months":
        x_step = _month_step(x1 - x0, 12)
    else:
        x_step = _nice_step(x1 - x0, 12)
    if y_range is None:
        lows, highs = [], []
        for seg in chart.segments:
            inside = (seg.x >= x0 - 1e-9) & (seg.x <= x1 + 1e-9)
            if inside.any():
                lows.append(float(np.nanmin(seg.curve(min(chart.sds))[inside])))
                highs.append(float(np.nanmax(seg.curve(max(chart.sds))[inside])))
        if len(idx):
            lows.append(float(py_arr[idx].min()))
            highs.append(float(py_arr[idx].max()))
        lo, hi = min(lows), max(highs)
        step = _nice_step(hi - lo, 10)
        y_range = (math.floor(lo / step) * step, math.ceil(hi / step) * step)
    y0, y1 = float(y_range[0]), float(y_range[1])
    y_step = _nice_step(y1 - y0, 10)
    sc = _Scale(x0, x1, y0, y1, layout)
    L = layout
    right_edge, bottom_edge = L.left + L.plot_width, L.top + L.plot_height

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="growth-chart" viewBox="0 0 {L.width} {L.height}" '
        f'width="{L.width}" height="{L.height}" role="img" aria-label={quoteattr(title)} '
        f'data-indicator="{chart.indicator}" data-sex="{chart.sex}" data-x0="{x0:g}" data-x1="{x1:g}" '
        f'data-y0="{y0:g}" data-y1="{y1:g}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<defs><clipPath id="{clip}">'
        f'<rect x="{L.left}" y="{L.top}" width="{L.plot_width}" height="{L.plot_height}"/></clipPath></defs>',
        f'<rect x="0" y="0" width="{L.width}" height="{L.height}" fill="#ffffff"/>',
        f'<text class="chart-title" x="{L.width / 2:g}" y="22" text-anchor="middle" font-size="16" '
        f'font-weight="bold">{escape(title)}</text>',
    ]
    if subtitle:
        out.append(f'<text class="chart-subtitle" x="{L.width / 2:g}" y="40" text-anchor="middle" '
                   f'fill="#444">{escape(subtitle)}</text>')
    # Grid and ticks
    grid, ticks = [], []
    for v in _ticks(x0, x1, x_step):
        x = _fmt(float(sc.px(v)))
        grid.append(f'<line x1="{x}" y1="{L.top}" x2="{x}" y2="{bottom_edge}"/>')
        ticks.append(f'<line class="tick" x1="{x}" y1="{bottom_edge}" x2="{x}" y2="{bottom_edge + 5}" '
                     f'stroke="#333"/><text class="tick-label x-tick" x="{x}" y="{bottom_edge + 18}" '
                     f'text-anchor="middle">{_num(v)}</text>')
    for v in _ticks(y0, y1, y_step):
        y = _fmt(float(sc.py(v)))
        grid.append(f'<line x1="{L.left}" y1="{y}" x2="{right_edge}" y2="{y}"/>')
        ticks.append(f'<line class="tick" x1="{L.left - 5}" y1="{y}" x2="{L.left}" y2="{y}" stroke="#333"/>'
                     f'<text class="tick-label y-tick" x="{L.left - 8}" y="{y}" text-anchor="end" '
                     f'dominant-baseline="middle">{_num(v)}</text>')
    out.append(f'<g class="grid" stroke="#e3e3e3" stroke-width="1">{"".join(grid)}</g>')
    # Reference switch at 60 months
    if chart.x_unit == "months" and x0 < SWITCH_MONTHS < x1:
        x = _fmt(float(sc.px(SWITCH_MONTHS)))
        out.append(f'<g class="reference-switch"><line x1="{x}" y1="{L.top}" x2="{x}" y2="{bottom_edge}" '
                   f'stroke="#888" stroke-dasharray="4 3"/><text x="{x}" y="{L.top - 4}" text-anchor="middle" '
                   f'fill="#666" font-size="10">WHO 2006 | WHO 2007</text></g>')
    # Curves
    out.append(f'<g class="curves" fill="none" clip-path="url(#{clip})">')
    label_at: dict[int, tuple[float, float]] = {}
    for z in chart.sds:
        color, width = SD_STYLE.get(z, ("#555", 1.2))
        for seg in chart.segments:
            inside = (seg.x >= x0 - 1e-9) & (seg.x <= x1 + 1e-9)
            if inside.sum() < 2:
                continue
            xs, ys = seg.x[inside], seg.curve(z)[inside]
            pts = " ".join(f"{_fmt(a)},{_fmt(b)}" for a, b in zip(sc.px(xs), sc.py(ys), strict=True))
            out.append(f'<polyline class="sd-curve" data-sd="{z}" data-reference="{seg.reference}" '
                       f'stroke="{color}" stroke-width="{width}" points="{pts}"/>')
            label_at[z] = (float(xs[-1]), float(ys[-1]))
    out.append("</g>")
    out.append('<g class="sd-labels" font-size="11" font-weight="bold">')
    for z, (xv, yv) in label_at.items():
        y = min(max(float(sc.py(yv)), L.top + 6), bottom_edge - 2)
        out.append(f'<text class="sd-label" data-sd="{z}" x="{_fmt(float(sc.px(xv)) + 4)}" y="{_fmt(y)}" '
                   f'dominant-baseline="middle" fill="{SD_STYLE.get(z, ("#555", 1))[0]}">'
                   f'{escape(sd_labels.get(z, str(z)))}</text>')
    out.append("</g>")
    # Axes
    out.append(f'<g class="axes" stroke="#333" stroke-width="1.2"><line x1="{L.left}" y1="{bottom_edge}" '
               f'x2="{right_edge}" y2="{bottom_edge}"/><line x1="{L.left}" y1="{L.top}" x2="{L.left}" '
               f'y2="{bottom_edge}"/></g>')
    out.append(f'<g class="ticks" fill="#333">{"".join(ticks)}</g>')
    out.append(f'<text class="axis-label x-label" x="{L.left + L.plot_width / 2:g}" y="{L.height - 12}" '
               f'text-anchor="middle">{escape(x_label)}</text>')
    out.append(f'<text class="axis-label y-label" x="16" y="{L.top + L.plot_height / 2:g}" text-anchor="middle" '
               f'transform="rotate(-90 16 {L.top + L.plot_height / 2:g})">{escape(y_label)}</text>')
    # The child's points
    if len(idx):
        xs, ys = sc.px(px_arr[idx]), sc.py(py_arr[idx])
        out.append(f'<g class="child" clip-path="url(#{clip})">')
        if len(idx) > 1:
            pts = " ".join(f"{_fmt(a)},{_fmt(b)}" for a, b in zip(xs, ys, strict=True))
            out.append(f'<polyline class="child-line" fill="none" stroke="#1f4e9c" stroke-width="2" points="{pts}"/>')
        for i, a, b in zip(idx, xs, ys, strict=True):
            tip = f"<title>{escape(str(titles[i]))}</title>" if titles is not None else ""
            out.append(f'<circle class="child-point" cx="{_fmt(a)}" cy="{_fmt(b)}" r="4" fill="#1f4e9c" '
                       f'stroke="#fff" stroke-width="1" data-x="{px_arr[i]:.4f}" data-y="{py_arr[i]:.4f}">{tip}'
                       f"</circle>")
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
