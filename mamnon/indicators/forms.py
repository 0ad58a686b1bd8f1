"""Forms of the indicators pages: a target, a declared figure."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mamnon.calc import periods as P
from mamnon.indicators.models import COMPARISON_CHOICES, DeclaredValue, Indicator


def _period(value: str) -> str:
    try:
        P.parse_period(value)
    except P.PeriodError as exc:
        raise ValidationError(_("%(value)s is not a period (e.g. 2023-2024, 2023-2024/R1, 2021-2025).")
                              % {"value": value}) from exc
    return value.strip()


class TargetForm(forms.Form):
    indicator = forms.ModelChoiceField(Indicator.objects.all(), label=_("Indicator"))
    period = forms.CharField(label=_("Period"), max_length=20, help_text=_("2023-2024, or a plan: 2021-2025"))
    comparison = forms.ChoiceField(choices=COMPARISON_CHOICES, label=_("Comparison"))
    value = forms.DecimalField(label=_("Value"), required=False, max_digits=12, decimal_places=2, min_value=0)
    baseline_period = forms.CharField(label=_("Baseline period"), required=False, max_length=20,
                                      help_text=_("e.g. 2023-2024/R1 for the start of the year"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def clean_period(self):
        return _period(self.cleaned_data["period"])

    def clean_baseline_period(self):
        value = self.cleaned_data.get("baseline_period") or ""
        return _period(value) if value else ""


class DeclareForm(forms.ModelForm):
    class Meta:
        model = DeclaredValue
        fields = ["indicator", "period", "numerator", "denominator", "evidence", "note"]

    def clean_period(self):
        return _period(self.cleaned_data["period"])

    def validate_unique(self):
        """The service replaces an earlier declaration of the same figure; no uniqueness error here."""
