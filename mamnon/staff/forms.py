"""Forms of the staff pages: they validate input; the services decide and write (errors name the field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamnon.children.ethnicity import ETHNIC_GROUPS, KINH
from mamnon.children.forms import date_field, phone_field
from mamnon.children.models import Group
from mamnon.org.models import School, SchoolYear, Staff
from mamnon.staff.models import AnnualRating, Employment, RatingLevel, Sex, TitleGrade, Training, TrainingLevel

LEVEL_CHOICES = [("", "—"), *[(str(v), label) for v, label in RatingLevel.choices]]


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.unit.name


class StaffRecordForm(forms.Form):
    school = SchoolChoiceField(label=_("School"), queryset=School.objects.none())
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    position = forms.ChoiceField(label=_("Position"), choices=[c for c in Staff.Position.choices
                                                                if c[0] != Staff.Position.OFFICER])
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect, initial=Sex.FEMALE)
    birth_date = date_field(_("Date of birth"), required=False)
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=ETHNIC_GROUPS, initial=KINH)
    phone = phone_field()
    email = forms.EmailField(label=_("E-mail"), required=False)
    employment = forms.ChoiceField(label=_("Employment"), choices=Employment.choices)
    hired_on = date_field(_("Recruited on"), required=False)
    joined_on = date_field(_("At this school since"), required=False)
    title_grade = forms.ChoiceField(label=_("Professional title"), choices=[("", "—"), *TitleGrade.choices],
                                    required=False)
    training_level = forms.TypedChoiceField(label=_("Training level"), choices=TrainingLevel.choices, coerce=int)
    major = forms.CharField(label=_("Major"), max_length=120, required=False)
    preschool_pedagogy = forms.BooleanField(label=_("Preschool pedagogy diploma"), required=False)
    in_upgrade_training = forms.BooleanField(label=_("In upgrading training"), required=False)
    upgraded_under_roadmap = forms.BooleanField(label=_("Upgraded under the roadmap"), required=False)
    party_member = forms.BooleanField(label=_("Party member"), required=False)
    party_joined_on = date_field(_("Party member since"), required=False)
    active = forms.BooleanField(label=_("Works at the school"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, schools, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff is not None:
            del self.fields["school"]
        else:
            self.fields["school"].queryset = schools
            only = list(schools[:2])
            if len(only) == 1:
                self.fields["school"].initial = only[0].pk


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("Course"), max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), choices=Training.Topic.choices)
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1, min_value=0.5)
    start_date = date_field(_("From"))
    end_date = date_field(_("To"))
    provider = forms.CharField(label=_("Organised by"), max_length=200, required=False)
    certificate = forms.BooleanField(label=_("Certificate received"), required=False)


class AnnualRatingForm(forms.Form):
    school_year = forms.ModelChoiceField(label=_("School year"), queryset=SchoolYear.objects.order_by("-start_date"))
    result = forms.ChoiceField(label=_("Result"), choices=AnnualRating.Result.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class RatingForm(forms.Form):
    """One select per criterion (Chưa đạt / Đạt / Khá / Tốt). Blank ones reach the service, which refuses the
    rating naming the criteria without a level."""

    school_year = forms.ModelChoiceField(label=_("School year"), queryset=SchoolYear.objects.order_by("-start_date"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, criteria: int, names: list[str] | None = None, decide: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for n in range(1, criteria + 1):
            label = _("Criterion %(n)d") % {"n": n}
            if names and n <= len(names):
                label = f"{label}. {names[n - 1]}"
            self.fields[f"c{n}"] = forms.ChoiceField(label=label, choices=LEVEL_CHOICES, required=False)
        if not decide:
            del self.fields["note"]

    def levels(self) -> list:
        return [self.cleaned_data.get(f"c{n}") or None for n in range(1, self.criteria + 1)]


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.get_age_band_display()} · {obj.school_year.code}"


class AssignForm(forms.Form):
    group = GroupChoiceField(label=_("Group"), queryset=Group.objects.none())
    lead = forms.BooleanField(label=_("Lead teacher"), required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class ImportForm(forms.Form):
    school = SchoolChoiceField(label=_("School"), queryset=School.objects.none())
    file = forms.FileField(label=_("Staff list (.xlsx)"))

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
