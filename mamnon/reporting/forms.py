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


class ProgrammeForm(forms.Form):
    """A new programme; the criteria are typed one per line: name; maximum score; weight (weight 1 if left out)."""

    name = forms.CharField(label=_("Name"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"))
    school_year = forms.ModelChoiceField(label=_("School year"), queryset=None)
    registration_deadline = forms.DateField(label=_("Registration deadline (dd/mm/yyyy)"), input_formats=DATE_INPUT)
    target_level = forms.ModelChoiceField(label=_("Registered by units of level"), queryset=None, required=False,
                                          empty_label=_("any unit below"))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=500, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    criteria = forms.CharField(
        label=_("Criteria"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One criterion a line: name; maximum score; weight (e.g. “Ứng dụng phương pháp GDMN tiên tiến; "
                    "10; 2”). The weight is 1 when left out."))

    def __init__(self, *args, unit=None, **kwargs):
        from mamnon.org.models import OrgLevel, SchoolYear
        from mamnon.reporting.models import ProgrammeKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ProgrammeKind.choices
        self.fields["school_year"].queryset = SchoolYear.objects.order_by("-start_date")
        self.fields["school_year"].initial = SchoolYear.objects.filter(is_current=True).first()
        levels = OrgLevel.objects.order_by("rank")
        if unit is not None:
            levels = levels.filter(rank__gt=unit.level.rank)
        self.fields["target_level"].queryset = levels

    def clean_criteria(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["criteria"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            if len(parts) not in (2, 3):
                raise forms.ValidationError(_("Line %(n)d: write name; maximum score; weight.") % {"n": n})
            rows.append({"name": parts[0], "max_score": parts[1], "weight": parts[2] if len(parts) == 3 else "1"})
        return rows


class RegistrationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    title = forms.CharField(label=_("Model or content registered"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    contact = forms.CharField(label=_("Person in charge"), max_length=150, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units is not None and len(units) == 1:
            self.fields["unit"].initial = units[0]


class InitiativeForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    authors = forms.CharField(label=_("Authors"), max_length=300, required=False)
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None, required=False)

    def __init__(self, *args, units=None, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["programme"].queryset = programmes
