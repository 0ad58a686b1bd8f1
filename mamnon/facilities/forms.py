"""Forms of the facilities pages: they validate input; the services write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from mamnon.children.models import Group
from mamnon.facilities.models import FacilityProfile, Room
from mamnon.org.models import Site


class ProfileForm(forms.ModelForm):
    website = forms.URLField(label=_("Website address"), required=False, assume_scheme="https")

    class Meta:
        model = FacilityProfile
        fields = ["urban", "land_area", "yard_area", "grass_area", "internet", "management_software", "cameras",
                  "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        yard, grass = data.get("yard_area"), data.get("grass_area")
        if yard is not None and grass is not None and grass > yard:
            self.add_error("grass_area", _("The grass area cannot be larger than the yard area."))
        return data

    def _post_clean(self):
        super()._post_clean()
        # The model's check constraint repeats clean()'s message without a field: keep the field's.
        if self.has_error("grass_area"):
            self._errors.pop(NON_FIELD_ERRORS, None)


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["site", "name", "kind", "construction", "area", "condition", "group", "in_use", "one_way",
                  "clean_water", "supply_contract", "food_safety_cert", "meets_standard"]

    def __init__(self, *args, school, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(school=school)
        self.fields["site"].required = True
        groups = Group.objects.filter(school=school)
        self.fields["group"].queryset = groups.filter(school_year=year) if year is not None else groups
        self.fields["group"].help_text = _("For a group room: the group that uses it.")
        for name in ("one_way", "clean_water", "supply_contract", "food_safety_cert"):
            self.fields[name].help_text = _("Kitchens only.")
        self.fields["meets_standard"].help_text = _("Toilets only.")

    def _post_clean(self):
        pass  # the service validates the model (and names the field of each error)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 10_000_000:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return f


class StocktakeStartForm(forms.Form):
    day = forms.DateField(label=_("Stocktake date"), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
