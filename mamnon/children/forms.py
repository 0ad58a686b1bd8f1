"""Forms of the children pages. They validate input only; the services decide and write.

Every choice list (schools, groups, staff, communes) comes from what the user may reach (core.scoping).
Error messages name the field, so that a teacher on a phone knows what to correct.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from mamnon.children import selectors
from mamnon.children.ethnicity import ETHNIC_GROUPS, KINH
from mamnon.children.models import AgeBand, ChildSupport, Group, Guardian, Sex
from mamnon.children.services import CONSENT_VERSION
from mamnon.core import scoping
from mamnon.core.models import normalize_phone, validate_vn_mobile
from mamnon.org.models import OrgUnit, School, SchoolYear, Staff

DATE_HELP = _("dd/mm/yyyy")


def date_field(label, *, required=True, **kw):
    return forms.DateField(
        label=label, required=required, help_text=DATE_HELP,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                                          "autocomplete": "off"}),
        error_messages={"invalid": _("Enter a date as dd/mm/yyyy.")}, **kw,
    )


def phone_field(label=None, required=False):
    return forms.CharField(label=label or _("Mobile phone"), max_length=20, required=required,
                           validators=[validate_vn_mobile],
                           widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))


def managed_schools(user):
    """Schools where the user is principal or vice-principal (all for an administrator)."""
    qs = School.objects.select_related("unit").order_by("unit__name")
    if scoping.is_admin(user):
        return qs
    return qs.filter(pk__in=selectors.managed_school_ids(user))


def year_choices(*, from_year: SchoolYear | None = None):
    qs = SchoolYear.objects.order_by("start_date")
    if from_year is not None:
        qs = qs.filter(start_date__gte=from_year.start_date)
    return qs


def school_groups(school_id, *, year=None, exclude=None):
    qs = Group.objects.filter(school_id=school_id, active=True).select_related("school_year").order_by(
        "school_year__start_date", "age_band", "name")
    if year is not None:
        qs = qs.filter(school_year=year)
    else:
        current = selectors.current_school_year()
        if current is not None:
            qs = qs.filter(school_year__start_date__gte=current.start_date)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.get_age_band_display()} · {obj.school_year.code}"


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.unit.name


class OverrideMixin(forms.Form):
    override_reason = forms.CharField(
        label=_("Principal's reason to override a warning"), required=False, max_length=500,
        help_text=_("Only if the group is full or the age band does not fit, and you decide to go ahead."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ChildForm(forms.Form):
    school = SchoolChoiceField(label=_("School"), queryset=School.objects.none())
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    birth_date = date_field(_("Date of birth"))
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=ETHNIC_GROUPS, initial=KINH)
    personal_id = forms.CharField(label=_("Personal identification number"), max_length=20, required=False,
                                  help_text=_("12 digits, optional"),
                                  widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    address = forms.CharField(label=_("Home address"), max_length=300, required=False)
    residence_commune = forms.ModelChoiceField(label=_("Commune of residence"), queryset=OrgUnit.objects.none(),
                                               required=False)
    photo = forms.ImageField(label=_("Photo"), required=False)
    # Support data (Nghị định 105/2020 policy flags; disability: Thông tư 03/2018). Shown only to those who
    # may change it (the school's managers and health staff).
    disability_type = forms.CharField(label=_("Type of disability"), max_length=100, required=False)
    disability_level = forms.ChoiceField(label=_("Level of disability"), required=False,
                                         choices=[("", "—"), *ChildSupport.DisabilityLevel.choices])
    poor_household = forms.BooleanField(label=_("Poor household"), required=False)
    near_poor_household = forms.BooleanField(label=_("Near-poor household"), required=False)
    ethnic_minority_disadvantaged = forms.BooleanField(label=_("Ethnic minority in a disadvantaged area"),
                                                       required=False)
    orphan = forms.BooleanField(label=_("Orphan"), required=False)

    SUPPORT = ("disability_type", "disability_level", "poor_household", "near_poor_household",
               "ethnic_minority_disadvantaged", "orphan")

    def __init__(self, *args, user, child=None, with_support=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        schools = managed_schools(user)
        self.fields["school"].queryset = schools
        if child is not None:
            del self.fields["school"]
            school = child.school
        else:
            only = list(schools[:2])
            school = only[0] if len(only) == 1 else None
            if school is not None:
                self.fields["school"].initial = school.pk
                self.fields["school"].widget = forms.HiddenInput()
                self.fields["school"].required = False
        self.only_school = school
        communes = OrgUnit.objects.none()
        if school is not None and school.commune_id:
            commune = school.commune
            communes = OrgUnit.objects.filter(parent_id=commune.parent_id, level_id=commune.level_id, active=True)
        self.fields["residence_commune"].queryset = communes.order_by("name")
        if not with_support:
            for name in self.SUPPORT:
                del self.fields[name]

    def clean_school(self):
        return self.cleaned_data.get("school") or self.only_school

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def child_data(self) -> dict:
        d = self.cleaned_data
        return {k: d.get(k) for k in ("full_name", "birth_date", "sex", "ethnicity", "personal_id", "address",
                                     "residence_commune", "photo")}

    def support_data(self) -> dict | None:
        if "orphan" not in self.fields:
            return None
        return {k: self.cleaned_data.get(k) for k in self.SUPPORT}


class ChildCreateForm(OverrideMixin, ChildForm):
    group = GroupChoiceField(label=_("Admit to group"), queryset=Group.objects.none(), required=False,
                             help_text=_("optional: the child can be admitted later"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.order_fields([name for name in self.fields if name not in ("group", "override_reason")]
                          + ["group", "override_reason"])
        school_ids = [s.pk for s in self.fields["school"].queryset]
        self.fields["group"].queryset = Group.objects.filter(school_id__in=school_ids, active=True).filter(
            school_year__in=year_choices(from_year=selectors.current_school_year())).select_related("school_year")

    def clean(self):
        data = super().clean()
        group, school = data.get("group"), data.get("school")
        if group is not None and school is not None and group.school_id != school.pk:
            self.add_error("group", _("Group: this group belongs to another school."))
        return data


class GuardianForm(forms.Form):
    full_name = forms.CharField(label=_("Guardian's full name"), max_length=150)
    # A blank first choice: an untouched extra guardian form then stays unchanged (and is skipped).
    relation = forms.ChoiceField(label=_("Relation"), choices=[("", "—"), *Guardian.Relation.choices])
    phone = phone_field()
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)
    consent = forms.BooleanField(
        label=_("The guardian agrees to the processing of the child's and the family's personal data "
                "(Nghị định 13/2023/NĐ-CP)"), required=False,
        help_text=_("Consent text version %(version)s; the date and time are recorded.") % {
            "version": CONSENT_VERSION},
    )

    def clean_phone(self):
        return normalize_phone(self.cleaned_data.get("phone")) or ""


class BaseGuardianFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        filled = [f for f in self.forms if f.has_changed() and not getattr(f, "cleaned_data", {}).get("DELETE")]
        if not filled:
            raise forms.ValidationError(_("Guardians: give at least one parent or guardian."))


GuardianFormSet = forms.formset_factory(GuardianForm, formset=BaseGuardianFormSet, extra=2, max_num=4)


class PickupForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    relation = forms.CharField(label=_("Relation"), max_length=60, required=False)
    phone = phone_field()
    photo = forms.ImageField(label=_("Photo"), required=False)
    valid_from = date_field(_("Valid from"), required=False)
    valid_to = date_field(_("Valid to"), required=False)

    def clean(self):
        data = super().clean()
        a, b = data.get("valid_from"), data.get("valid_to")
        if a and b and b < a:
            self.add_error("valid_to", _("Valid to: the end of the period is before its start."))
        return data


class GroupForm(forms.Form):
    school = SchoolChoiceField(label=_("School"), queryset=School.objects.none())
    school_year = forms.ModelChoiceField(label=_("School year"), queryset=SchoolYear.objects.none())
    name = forms.CharField(label=_("Name"), max_length=60)
    age_band = forms.ChoiceField(label=_("Age band"), choices=AgeBand.choices)
    site = forms.ModelChoiceField(label=_("Site"), queryset=None, required=False)
    full_day = forms.BooleanField(label=_("Full day (2 sessions)"), required=False, initial=True)
    semi_boarding = forms.BooleanField(label=_("Semi-boarding (lunch at school)"), required=False, initial=True)
    english = forms.BooleanField(label=_("English familiarisation"), required=False)
    teachers = forms.ModelMultipleChoiceField(label=_("Teachers"), queryset=Staff.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    lead = forms.ModelChoiceField(label=_("Lead teacher"), queryset=Staff.objects.none(), required=False)

    def __init__(self, *args, user, group=None, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        from mamnon.org.models import Site

        schools = managed_schools(user)
        self.fields["school"].queryset = schools
        current = selectors.current_school_year()
        self.fields["school_year"].queryset = year_choices(from_year=current)
        if current is not None:
            self.fields["school_year"].initial = current.pk
        if group is not None:
            school = group.school
            del self.fields["school"]
            del self.fields["school_year"]
        elif school is None:
            only = list(schools[:2])
            school = only[0] if len(only) == 1 else None
        if school is not None and "school" in self.fields:
            self.fields["school"].initial = school.pk
            self.fields["school"].widget = forms.HiddenInput()
            self.fields["school"].required = False
        self.only_school = school
        # Teachers and sites once the school is known (an administrator chooses it first: ?school=).
        school_ids = [school.pk] if school is not None else []
        staff = Staff.objects.filter(unit_id__in=school_ids, active=True).order_by("full_name")
        self.fields["teachers"].queryset = staff
        self.fields["lead"].queryset = staff
        self.fields["site"].queryset = Site.objects.filter(school_id__in=school_ids)

    def clean_school(self):
        return self.cleaned_data.get("school") or self.only_school

    def clean(self):
        data = super().clean()
        school = data.get("school")
        if school is None and "school" in self.fields:
            self.add_error("school", _("School: choose the school."))
        if school is not None:
            for t in data.get("teachers") or []:
                if t.unit_id != school.pk:
                    self.add_error("teachers", _("Teachers: %(name)s does not work at this school.")
                                   % {"name": t.full_name})
        return data


class AdmitForm(OverrideMixin):
    group = GroupChoiceField(label=_("Group"), queryset=Group.objects.none())
    on = date_field(_("From"))

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = school_groups(child.school_id)


class MoveForm(OverrideMixin):
    to_group = GroupChoiceField(label=_("New group"), queryset=Group.objects.none())
    on = date_field(_("From"))

    def __init__(self, *args, child, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_group"].queryset = school_groups(
            child.school_id, year=current.group.school_year if current else None,
            exclude=current.group_id if current else None)


class TransferForm(forms.Form):
    to_school = forms.CharField(label=_("Code of the receiving school"), max_length=40,
                                help_text=_("The school's code (ask the receiving school)."))
    on = date_field(_("Last day at this school"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_to_school(self):
        # Looked up by code, never listed: a principal does not browse other districts' schools.
        code = self.cleaned_data["to_school"].strip()
        school = School.objects.filter(unit__code=code, unit__active=True).select_related("unit").first()
        if school is None:
            raise forms.ValidationError(_("Receiving school: no open school has the code %(code)s.")
                                        % {"code": code})
        return school


class LeaveForm(forms.Form):
    reason = forms.CharField(label=_("Reason for leaving"), max_length=300)
    on = date_field(_("Last day"))


class FinishForm(forms.Form):
    on = date_field(_("Last day"))


class AcceptForm(OverrideMixin):
    group = GroupChoiceField(label=_("Group"), queryset=Group.objects.none())
    on = date_field(_("From"))

    def __init__(self, *args, school_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = school_groups(school_id)


class OverrideForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=60)
    school = forms.IntegerField(widget=forms.HiddenInput)
    group = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class RolloverForm(OverrideMixin):
    """One choice per group of the year ending: next year's group its children go to."""

    def __init__(self, *args, old_groups, new_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.old_groups = list(old_groups)
        self.new_groups = list(new_groups)
        choices = [("", _("— none: all its children finish —"))] + [
            (str(g.pk), f"{g.name} · {g.get_age_band_display()}") for g in self.new_groups]
        for g in self.old_groups:
            self.fields[f"g{g.pk}"] = forms.ChoiceField(label=g.name, choices=choices, required=False)
        self.order_fields([f"g{g.pk}" for g in self.old_groups] + ["override_reason"])

    def mapping(self) -> dict:
        by_pk = {str(g.pk): g for g in self.new_groups}
        return {g: by_pk.get(self.cleaned_data.get(f"g{g.pk}") or "") for g in self.old_groups}

    def rows(self):
        return [(g, self[f"g{g.pk}"]) for g in self.old_groups]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, guardian's phone or ID number"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True}))
