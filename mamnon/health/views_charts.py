"""A child's WHO growth charts (weight-for-age, length/height-for-age, weight-for-length/height, BMI-for-age).

Who sees it: whoever reaches the child under ``Measurement``'s view roles (the school's managers and health
staff, the child's teachers, the child's parents, also from the portal); offices see counts, not a child's
chart. The curves and the SVG come from ``mamnon.calc.growth_chart``.
"""

from __future__ import annotations

import math

import numpy as np
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamnon.calc import growth_chart
from mamnon.calc.growth import DAYS_PER_MONTH
from mamnon.core import clock
from mamnon.health import selectors_checks as selectors
from mamnon.health.models import Measurement

TABS = (
    ("wfa", gettext_lazy("Weight-for-age")),
    ("lhfa", gettext_lazy("Length/height-for-age")),
    ("wflh", gettext_lazy("Weight-for-length/height")),
    ("bfa", gettext_lazy("BMI-for-age")),
)
MIN_MONTHS, MAX_MONTHS = 24, 84  # age axis: at least the first two years, at most to 7 years


def _age_axis(months_now: float, point_months) -> tuple[float, float]:
    last = max([months_now, *[m for m in point_months if np.isfinite(m)]], default=0.0)
    upper = min(MAX_MONTHS, max(MIN_MONTHS, math.ceil(last / 12) * 12))
    return 0.0, float(upper)


def chart_for(child, measurements, tab: str, today) -> dict:
    """The SVG and labels of one tab of a child's chart."""
    ages = np.array([m.age_days for m in measurements], dtype=np.float64)
    weights = np.array([np.nan if m.weight_kg is None else float(m.weight_kg) for m in measurements])
    heights = np.array([np.nan if m.height_cm is None else float(m.height_cm) for m in measurements])
    lying = [m.measured_lying for m in measurements]
    age_now = (today - child.birth_date).days
    if tab == "wflh":
        # Weight-for-length under 2 years, weight-for-height from 2 years to 5 (WHO 2006); the child's age
        # decides, as on WHO's printed charts.
        indicator = "wfl" if age_now < growth_chart.LENGTH_UNTIL_DAY else "wfh"
    else:
        indicator = tab
    x, y = growth_chart.child_points(indicator, ages, weights, heights, lying)
    sex_label = _("Boys") if child.sex == "M" else _("Girls")
    title_of = dict(TABS)
    if indicator == "wfl":
        title, x_label = _("Weight-for-length"), _("Length (cm)")
    elif indicator == "wfh":
        title, x_label = _("Weight-for-height"), _("Height (cm)")
    else:
        title, x_label = str(title_of[tab]), _("Age (months)")
    y_label = {"wfa": _("Weight (kg)"), "lhfa": _("Length/height (cm)"), "bfa": _("BMI (kg/m²)")}.get(
        indicator, _("Weight (kg)"))
    if indicator in growth_chart.AGE_INDICATORS:
        x_range = _age_axis(age_now / DAYS_PER_MONTH, x)
        curves = growth_chart.curves(child.sex, indicator, *x_range)
    else:
        curves = growth_chart.curves(child.sex, indicator)
        x_range = None
    unit = {"wfa": "kg", "lhfa": "cm", "bfa": "kg/m²"}.get(indicator, "kg")
    titles = [f"{m.date:%d/%m/%Y}: {str(round(v, 1)).replace('.', ',')} {unit}" if np.isfinite(v) else ""
              for m, v in zip(measurements, y, strict=True)]
    svg = growth_chart.render_svg(
        curves, title=f"{title} — {sex_label}", subtitle=f"{child.full_name} · {child.birth_date:%d/%m/%Y}",
        x_label=x_label, y_label=y_label, points=(x, y), point_titles=titles, x_range=x_range, uid=f"chart-{tab}")
    return {"svg": mark_safe(svg), "plotted": int(np.isfinite(y).sum()), "indicator": indicator,  # noqa: S308
            "title": title}


@login_required
def child_chart(request, pk):
    """``/health/children/<pk>/chart/?tab=wfa|lhfa|wflh|bfa``: the chart, printable, with the measurements."""
    child = selectors.child_for_health(request.user, pk, Measurement.scope_view_roles)
    tab = request.GET.get("tab")
    if tab not in dict(TABS):
        tab = "wfa"
    measurements = list(selectors.child_measurements(child))
    today = clock.today()
    chart = chart_for(child, measurements, tab, today)
    rows = [(m, int(m.age_days // DAYS_PER_MONTH)) for m in reversed(measurements)]
    return render(request, "health/chart.html", {
        "child": child, "tabs": TABS, "tab": tab, "chart": chart, "rows": rows, "printed": today,
        "portal": request.GET.get("from") == "portal",
    })
