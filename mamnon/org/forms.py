from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import ASCIIUsernameValidator
from django.utils.translation import gettext_lazy as _

from mamnon.core import scoping
from mamnon.core.models import normalize_phone, validate_vn_mobile
from mamnon.org.models import OrgUnit


class AccountCreateForm(forms.Form):
    """A new account with one role at one unit; the unit and role choices come from scoping."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    # The demo's own usernames (ht.saosang) have dots: letters, digits and . @ + - _ as in Django's admin,
    # ASCII only so that the login page finds the account however the keyboard composes accents.
    username = forms.CharField(label=_("Username"), max_length=150, validators=[ASCIIUsernameValidator()])
    phone = forms.CharField(label=_("Mobile phone"), max_length=15, required=False, validators=[validate_vn_mobile])
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, min_length=8)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        paths = scoping.scope_paths(actor, scoping.ACCOUNT_MANAGER_ROLES)
        units = scoping.restrict(OrgUnit.objects.filter(active=True), actor, scoping.MANAGE)
        if not scoping.is_admin(actor) and not paths:
            units = units.none()
        self.fields["unit"].queryset = units.select_related("level").order_by("path")
        from mamnon.core.roles import Role

        self.fields["role"].choices = [(r.value, r.label) for r in Role]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data.get("phone"))
        if phone and get_user_model().objects.filter(phone=phone).exists():
            raise forms.ValidationError(_("This mobile number belongs to another account."))
        return phone or None

    def clean(self):
        data = super().clean()
        unit, role = data.get("unit"), data.get("role")
        if unit is not None and role and not scoping.can_grant(self.actor, unit, role):
            self.add_error("role", _("You cannot give this role at this unit."))
        if data.get("password"):
            try:
                validate_password(data["password"])
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class _EffectiveForm(forms.Form):
    effective = forms.DateField(label=_("Effective from"), help_text=_("dd/mm/yyyy"))


class UnitRenameForm(_EffectiveForm):
    name = forms.CharField(label=_("New name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=40)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["name"].initial = unit.name
        self.fields["code"].initial = unit.code

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if OrgUnit.objects.filter(code=code).exclude(pk=self.unit.pk).exists():
            raise forms.ValidationError(_("Another unit already has this code."))
        return code


class UnitMoveForm(_EffectiveForm):
    new_parent = forms.ModelChoiceField(label=_("New parent unit"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, unit, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = (
            scoping.restrict(OrgUnit.objects.filter(active=True, level__is_school=False,
                                                    level__rank__lt=unit.level.rank), actor, scoping.VIEW)
            .exclude(path__startswith=unit.path)
            .exclude(pk=unit.parent_id)
            .select_related("level")
            .order_by("path")
        )


class UnitMergeForm(_EffectiveForm):
    target = forms.ModelChoiceField(label=_("Merge into"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, unit, actor, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = OrgUnit.objects.filter(active=True, level=unit.level).exclude(pk=unit.pk)
        self.fields["target"].queryset = scoping.restrict(candidates, actor, scoping.VIEW).order_by("path")


class SchoolContactForm(forms.ModelForm):
    """What a principal keeps up to date herself: contact details, licence, sites are separate."""

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        from mamnon.org.models import School

        model = School
        fields = ["address", "phone", "email", "website", "licence_number", "licence_date"]


class UnitCloseForm(_EffectiveForm):
    note = forms.CharField(label=_("Reason"), max_length=300, required=False)
