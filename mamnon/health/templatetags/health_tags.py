"""Labels of nutrition statuses for templates: {% load health_tags %} {{ m.wfa_status|status_label:"wfa" }}."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def labels(axis: str, uses_bmi: bool = False) -> dict[int, str]:
    if axis == "wfa":
        return {0: "", 1: _("normal"), 2: _("underweight"), 3: _("severely underweight")}
    if axis == "hfa":
        return {0: "", 1: _("normal"), 2: _("stunted"), 3: _("severely stunted")}
    if uses_bmi:
        return {0: "", 1: _("normal"), 2: _("thin"), 3: _("severely thin"), 4: _("overweight"), 5: _("obese")}
    return {0: "", 1: _("normal"), 2: _("wasted"), 3: _("severely wasted"), 4: _("overweight"), 5: _("obese")}


@register.filter
def status_label(code, axis: str) -> str:
    """``axis`` is wfa, hfa, wfh or wfh_bmi (from 60 months the third axis reads BMI-for-age: thinness)."""
    if code is None or code == "":
        return ""
    bmi = axis == "wfh_bmi"
    return labels("wfh" if bmi else axis, bmi).get(int(code), "")


@register.filter
def status_class(code) -> str:
    return {2: "warn", 3: "warn", 4: "warn", 5: "warn"}.get(int(code or 0), "")


@register.filter
def zfmt(value) -> str:
    return "" if value is None else f"{value:+.2f}".replace(".", ",")


@register.filter
def pct(value) -> str:
    return "" if value is None else f"{value:.1f}".replace(".", ",")


@register.filter
def pts(value) -> str:
    return "" if value is None else f"{value:+.1f}".replace(".", ",")


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
