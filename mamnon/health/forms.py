"""Forms of the growth-monitoring pages: a round, the grid's day, and the grid's rows read from a POST."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamnon.health.models import MeasurementRound
from mamnon.health.services import Entry

DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]
NUMBER_RE = re.compile(r"^\d{1,3}([.,]\d+)?$")


class NumberError(ValueError):
    pass


def parse_number(text, *, field: str) -> Decimal | None:
    """'14,5', '14.5' and ' 14.50 ' are 14.5; empty is None; anything else raises NumberError (Vietnamese)."""
    if text is None:
        return None
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        text = str(text)
    text = str(text).strip().replace(" ", "")
    if not text:
        return None
    if not NUMBER_RE.match(text):
        raise NumberError(_("%(field)s: “%(value)s” is not a number (write e.g. 14,5).")
                          % {"field": field, "value": text})
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern already excludes it
        raise NumberError(_("%(field)s: “%(value)s” is not a number.") % {"field": field, "value": text}) from exc


def _lying(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


def entry_from_post(data, child_id: int, *, name: str) -> tuple[Entry | None, list[str]]:
    """One grid row's fields (``weight-<id>``, ``height-<id>``, ``lying-<id>``, ``oedema-<id>``, ``note-<id>``)."""
    errors = []
    values = {}
    for key, label in (("weight", _("weight")), ("height", _("height"))):
        try:
            values[key] = parse_number(data.get(f"{key}-{child_id}"), field=f"{name}, {label}")
        except NumberError as exc:
            errors.append(str(exc))
    if errors:
        return None, errors
    if values["weight"] is None and values["height"] is None:
        return None, []
    return Entry(child_id=child_id, weight_kg=values["weight"], height_cm=values["height"],
                 measured_lying=_lying(data.get(f"lying-{child_id}")), oedema=bool(data.get(f"oedema-{child_id}")),
                 note=(data.get(f"note-{child_id}") or "").strip()), []


class DayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date measured"), input_formats=DATE_INPUTS, required=False)


class RoundForm(forms.ModelForm):
    class Meta:
        model = MeasurementRound
        fields = ["unit", "number", "name", "start_date", "end_date", "deadline"]
        widgets = {f: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                   for f in ("start_date", "end_date", "deadline")}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        for f in ("start_date", "end_date", "deadline"):
            self.fields[f].input_formats = DATE_INPUTS
        if units is not None:
            self.fields["unit"].queryset = units
        self.fields["unit"].label = gettext_lazy("For (office or school)")

    def validate_unique(self):  # the service checks it, with the message naming the unit
        pass


class DefaultRoundsForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=gettext_lazy("For (office or school)"))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
