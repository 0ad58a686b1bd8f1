"""Forms of the reporting pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_INPUT = ["%d/%m/%Y", "%Y-%m-%d"]


class DutyForm(forms.Form):
    title = forms.CharField(label=_("Duty"), max_length=400)
    due_date = forms.DateField(label=_("Due date (dd/mm/yyyy)"), required=False, input_formats=DATE_INPUT)
    owner = forms.CharField(label=_("Responsible"), max_length=150, required=False)
    deliverable = forms.CharField(label=_("Deliverable"), max_length=300, required=False)
    recipient = forms.CharField(label=_("Sent to"), max_length=150, required=False)
    recurring = forms.BooleanField(label=_("Every year"), required=False)
    for_units_below = forms.BooleanField(label=_("For the units below"), required=False)
