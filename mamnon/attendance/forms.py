"""Forms of the school-day pages. The register itself is parsed by ``marks_from_post``: one radio group
per child (``status-<child id>``) and an optional note (``note-<child id>``)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mamnon.attendance.models import CalendarDay
from mamnon.attendance.services import REOPEN_HOURS_MAX, Mark
from mamnon.org.models import School

MONTH_RE = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4}))\s*$")


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if isinstance(value, dt.date) else value


class DayForm(forms.Form):
    date = forms.DateField(label=_("Day"), required=False, widget=DateInput)


def marks_from_post(data) -> list[Mark]:
    """The register's POST as marks; a malformed key is refused with the key named."""
    marks = []
    for key in data:
        if not key.startswith("status-"):
            continue
        raw = key.removeprefix("status-")
        if not raw.isdigit():
            raise ValidationError({"marks": [_("“%(key)s” does not name a child.") % {"key": key}]})
        marks.append(Mark(int(raw), data.get(key, ""), data.get(f"note-{raw}", "")))
    return marks


class ReopenForm(forms.Form):
    date = forms.DateField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for reopening"), max_length=300, min_length=5)
    hours = forms.TypedChoiceField(
        label=_("Open for teachers during"), coerce=int, initial=24,
        choices=[(2, _("2 hours")), (8, _("8 hours")), (24, _("24 hours")), (REOPEN_HOURS_MAX, _("3 days"))],
    )


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class HolidayImportForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, widget=forms.HiddenInput)


class MonthField(forms.CharField):
    """A month as 2024-03 (the browser's month input) or 03/2024; cleans to (year, month)."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        m = MONTH_RE.match(value)
        if not m:
            raise ValidationError(_("Enter a month as mm/yyyy."), code="invalid")
        year, month = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise ValidationError(_("Enter a month as mm/yyyy."), code="invalid")
        return year, month


class MonthInput(forms.TextInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, tuple):
            return f"{value[0]:04d}-{value[1]:02d}"
        return value


class MonthForm(forms.Form):
    month = MonthField(label=_("Month"), required=False, widget=MonthInput)


class PeriodForm(forms.Form):
    """A school and a period (the attendance-rate page)."""

    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none(), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school"].label_from_instance = lambda s: s.unit.name

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end comes before the start."))
        if start and end and (end - start).days > 400:
            self.add_error("end", _("Choose a period of at most a school year."))
        return data


class MealForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none(), required=False)
    date = forms.DateField(label=_("Day"), required=False, widget=DateInput)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school"].label_from_instance = lambda s: s.unit.name
