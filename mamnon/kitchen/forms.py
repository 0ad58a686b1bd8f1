"""Forms of the kitchen pages. Choice lists come through core.scoping (never another school's rows)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from mamnon.core import scoping
from mamnon.kitchen import importer
from mamnon.kitchen.models import (
    Dish,
    DishIngredient,
    Food,
    Inspection,
    Meal,
    NormBand,
    RetainedSample,
    Supplier,
    SupplierContract,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday"))]


def _dates(form):
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DATE
            field.input_formats = DATE_FORMATS


class FoodForm(forms.ModelForm):
    class Meta:
        model = Food
        fields = ["code", "name", "group", "animal", "dry", "inedible_pct", "energy_kcal", "protein_g", "lipid_g",
                  "glucid_g", "fibre_g", "calcium_mg", "iron_mg", "retinol_ug", "beta_carotene_ug", "vitamin_b1_mg",
                  "vitamin_c_mg", "source"]


class PriceForm(forms.Form):
    price_per_kg = forms.DecimalField(label=_("price per kg (VND)"), min_value=0, decimal_places=0, max_digits=14)
    supplier = forms.ModelChoiceField(label=_("supplier"), queryset=Supplier.objects.none(), required=False)

    def __init__(self, *args, school=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = scoping.restrict(Supplier.objects.filter(school=school), user)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("file (.xlsx or .csv)"))
    source = forms.CharField(label=_("source"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in importer.FIELDS:
            self.fields[f"map_{field}"] = forms.CharField(
                label=importer.LABELS[field], required=field in importer.REQUIRED, max_length=100,
                help_text=_("the column header in the file"))

    def mapping(self) -> dict[str, str]:
        return {f: self.cleaned_data.get(f"map_{f}") or "" for f in importer.FIELDS}


class DishForm(forms.ModelForm):
    class Meta:
        model = Dish
        fields = ["name", "liquid"]


class IngredientForm(forms.ModelForm):
    class Meta:
        model = DishIngredient
        fields = ["food", "band", "grams", "min_grams", "max_grams"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["food"].queryset = scoping.restrict(Food.objects.all(), user)

    def clean(self):
        data = super().clean()
        lo, hi, grams = data.get("min_grams"), data.get("max_grams"), data.get("grams")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("max_grams", _("The most may not be less than the least."))
        if grams is not None and ((lo is not None and grams < lo) or (hi is not None and grams > hi)):
            self.add_error("grams", _("The recipe quantity must lie within the range."))
        return data


class MenuCreateForm(forms.Form):
    band = forms.ChoiceField(label=_("age band"), choices=NormBand.choices)
    week_start = forms.DateField(label=_("week starting (Monday)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)

    def clean_week_start(self):
        day = self.cleaned_data["week_start"]
        if day.weekday() != 0:
            raise forms.ValidationError(_("A menu's week starts on a Monday."))
        return day


class MenuItemForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("day"), choices=WEEKDAYS, coerce=int)
    meal = forms.ChoiceField(label=_("meal"), choices=Meal.choices)
    dish = forms.ModelChoiceField(label=_("dish"), queryset=Dish.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dish"].queryset = scoping.restrict(Dish.objects.all(), user)


class CopyForm(forms.Form):
    week_start = forms.DateField(label=_("first week (Monday)"))
    weeks = forms.IntegerField(label=_("number of weeks"), min_value=1, max_value=12, initial=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)


class DayForm(forms.Form):
    day = forms.DateField(label=_("date"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)


class PurchaseForm(forms.Form):
    food = forms.ModelChoiceField(label=_("food"), queryset=Food.objects.none())
    supplier = forms.ModelChoiceField(label=_("supplier"), queryset=Supplier.objects.none(), required=False)
    quantity_kg = forms.DecimalField(label=_("quantity (kg)"), min_value=0, max_digits=10, decimal_places=3)
    unit_price = forms.DecimalField(label=_("price per kg (VND)"), min_value=0, max_digits=14, decimal_places=0)

    def __init__(self, *args, school=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["food"].queryset = scoping.restrict(Food.objects.all(), user)
        self.fields["supplier"].queryset = scoping.restrict(Supplier.objects.filter(school=school), user)


class StoreTakeForm(forms.Form):
    food = forms.ModelChoiceField(label=_("food"), queryset=Food.objects.none())
    quantity_kg = forms.DecimalField(label=_("quantity (kg)"), min_value=0, max_digits=10, decimal_places=3)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["food"].queryset = scoping.restrict(Food.objects.filter(dry=True), user)


class SupplierForm(forms.ModelForm):
    class Meta:
        model = Supplier
        fields = ["name", "address", "phone", "certificate", "active"]


class ContractForm(forms.ModelForm):
    class Meta:
        model = SupplierContract
        fields = ["supplier", "number", "signed_on", "valid_from", "valid_to", "goods"]

    def __init__(self, *args, school=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = scoping.restrict(Supplier.objects.filter(school=school), user)
        _dates(self)

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("The contract ends before it starts."))
        return data


class InspectionForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ["date", "step", "checked_at", "item", "supplier", "quantity", "documents", "sensory_ok", "note"]
        widgets = {"checked_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, school=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = scoping.restrict(Supplier.objects.filter(school=school), user)
        _dates(self)


class SampleForm(forms.ModelForm):
    class Meta:
        model = RetainedSample
        fields = ["date", "meal", "dish", "liquid", "amount", "temperature_c", "taken_at"]
        widgets = {"taken_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        self.fields["taken_at"].input_formats = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]


class SettingForm(forms.Form):
    effective_from = forms.DateField(label=_("effective from"), initial=dt.date.today)
    food_money = forms.DecimalField(label=_("daily food money per child (VND)"), min_value=0, max_digits=14,
                                    decimal_places=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)


class DisclosureForm(forms.Form):
    day = forms.DateField(label=_("date"))
    children = forms.IntegerField(label=_("children eating"), min_value=0, required=False,
                                  help_text=_("empty: the meal count of the day"))
    photo = forms.ImageField(label=_("photo of the meal"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
