"""Forms of health checks, illnesses and medicine. They parse input; the services validate and write."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamnon.children.forms import date_field
from mamnon.health.models_checks import CHECK_AREAS


def time_field(label, *, required=True):
    return forms.TimeField(label=label, required=required, input_formats=["%H:%M", "%H.%M", "%Hh%M", "%H:%M:%S"],
                           widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
                           error_messages={"invalid": _("Enter a time as hh:mm.")})


def moment(day: dt.date | None, at: dt.time | None) -> dt.datetime | None:
    if day is None or at is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, at))


def _area_fields():
    return {name: forms.CharField(label=label, required=False, max_length=300) for name, label in CHECK_AREAS}


class HealthCheckForm(forms.Form):
    date = date_field(_("Date of the examination"))
    examiner = forms.CharField(label=_("Examiner"), max_length=150)
    referral = forms.BooleanField(label=_("Referred for treatment or further examination"), required=False)
    referral_to = forms.CharField(label=_("Referred to"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = dict(self.fields)
        self.fields = {"date": fields["date"], "examiner": fields["examiner"], **_area_fields(),
                       "referral": fields["referral"], "referral_to": fields["referral_to"], "note": fields["note"]}

    @property
    def findings(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name, _label in CHECK_AREAS}


class GroupCheckHeadForm(forms.Form):
    """The shared part of a group's examination day; each child's row is read by ``group_rows``."""

    date = date_field(_("Date of the examination"))
    examiner = forms.CharField(label=_("Examiner"), max_length=150)


def group_rows(data, child_ids) -> dict[int, dict]:
    """The rows of a group's examination form: ``c<id>-examined`` ticked, then ``c<id>-<area>`` etc."""
    rows = {}
    for cid in child_ids:
        if not data.get(f"c{cid}-examined"):
            continue
        row = {name: (data.get(f"c{cid}-{name}") or "") for name, _label in CHECK_AREAS}
        row["referral"] = bool(data.get(f"c{cid}-referral"))
        row["referral_to"] = data.get(f"c{cid}-referral_to") or ""
        row["note"] = data.get(f"c{cid}-note") or ""
        rows[cid] = row
    return rows


class IllnessForm(forms.Form):
    date = date_field(_("Date"))
    time = time_field(_("Time"))
    symptoms = forms.CharField(label=_("Symptoms"), max_length=300)
    temperature = forms.CharField(label=_("Temperature (°C)"), max_length=5, required=False)
    care = forms.CharField(label=_("Care given"), max_length=300, required=False)
    parents_informed = forms.BooleanField(label=_("Parents informed"), required=False)
    sent_home = forms.BooleanField(label=_("Sent home"), required=False)


class MedicineForm(forms.Form):
    handover = forms.TypedChoiceField(label=_("Parents' request at drop-off"), required=False, coerce=int,
                                      empty_value=None)
    date = date_field(_("Date"))
    time = time_field(_("Time given"))
    medicine = forms.CharField(label=_("Medicine"), max_length=200, required=False,
                               help_text=_("Leave blank to give what the parents asked for."))
    dose = forms.CharField(label=_("Dose"), max_length=100, required=False)
    illness = forms.TypedChoiceField(label=_("For the illness"), required=False, coerce=int, empty_value=None)
    note = forms.CharField(label=_("Note"), max_length=300, required=False,
                           help_text=_("Required without the parents' request: who agreed to it."))

    def __init__(self, *args, handovers=(), illnesses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handover"].choices = [("", "—")] + [
            (h.pk, f"{h.date:%d/%m/%Y}: {h.medicine} ({h.medicine_dose}, {h.medicine_time})") for h in handovers]
        self.fields["illness"].choices = [("", "—")] + [
            (i.pk, f"{timezone.localtime(i.noticed_at):%d/%m/%Y %H:%M}: {i.symptoms}") for i in illnesses]
