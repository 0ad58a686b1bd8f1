"""Models of the kitchen domain: foods, prices, dishes, menus, purchases, the store, food safety, disclosure.

The chain: attendance -> meal count -> menu -> ration -> market list -> purchases -> disclosure (-> fees, in
the fees app). Money is ``Decimal`` in whole đồng; quantities are grams per child (recipes) or kilograms
(purchases, store). Nutrient values are per 100 g of the edible part, as in the Vietnamese food composition
table (Bảng thành phần thực phẩm Việt Nam, Viện Dinh dưỡng 2007; regulations.md section 15).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mamnon.core.models import ScopedModel
from mamnon.core.roles import OFFICER_ROLES, SCHOOL_MANAGER_ROLES, SCHOOL_STAFF_ROLES, Role

KITCHEN_ROLES = SCHOOL_MANAGER_ROLES | {Role.KITCHEN_STAFF, Role.ACCOUNTANT}
KITCHEN_READERS = SCHOOL_STAFF_ROLES | OFFICER_ROLES
MONEY = {"max_digits": 14, "decimal_places": 0}
NUTRIENT = {"max_digits": 9, "decimal_places": 3, "null": True, "blank": True,
            "validators": [MinValueValidator(0)]}


class NormBand(models.TextChoices):
    """The age bands of the nutrition norms (Chương trình GDMN, regulations.md section 5)."""

    INFANT_3_6 = "infant_3_6", _("Creche 3-6 months")
    INFANT_6_12 = "infant_6_12", _("Creche 6-12 months")
    CRECHE = "creche", _("Creche 12-36 months")
    KINDER = "kinder", _("Kindergarten 3-6 years")


# Group age band (children.AgeBand) -> norm band. A 3-12 month group eats by the 6-12 month norm (most of
# its children are past six months by the time they eat at school).
GROUP_BAND_TO_NORM = {
    "c3_12": NormBand.INFANT_6_12, "c13_24": NormBand.CRECHE, "c25_36": NormBand.CRECHE,
    "mixed_creche": NormBand.CRECHE, "k3": NormBand.KINDER, "k4": NormBand.KINDER, "k5": NormBand.KINDER,
    "mixed_kinder": NormBand.KINDER,
}


class Meal(models.TextChoices):
    """Meals at school: creche 2 main meals + 1 snack, kindergarten 1 main meal + 1 snack."""

    BREAKFAST = "breakfast", _("Breakfast")
    LUNCH = "lunch", _("Lunch")
    AFTERNOON = "afternoon", _("Afternoon meal")
    SNACK = "snack", _("Snack")


MEALS_BY_BAND = {
    NormBand.INFANT_3_6: (Meal.LUNCH, Meal.AFTERNOON, Meal.SNACK),
    NormBand.INFANT_6_12: (Meal.LUNCH, Meal.AFTERNOON, Meal.SNACK),
    NormBand.CRECHE: (Meal.LUNCH, Meal.AFTERNOON, Meal.SNACK),
    NormBand.KINDER: (Meal.LUNCH, Meal.SNACK),
}


class FoodGroup(models.TextChoices):
    """The 14 groups of the food composition table."""

    CEREAL = "cereal", _("Cereals and products")
    TUBER = "tuber", _("Starchy roots and products")
    PULSE = "pulse", _("Pulses, nuts, seeds")
    VEGETABLE = "vegetable", _("Vegetables")
    FRUIT = "fruit", _("Fruits")
    FAT = "fat", _("Oils and fats")
    MEAT = "meat", _("Meat and products")
    FISH = "fish", _("Fish, shellfish and products")
    EGG = "egg", _("Eggs and products")
    MILK = "milk", _("Milk and products")
    CANNED = "canned", _("Canned food")
    SUGAR = "sugar", _("Sugar and confectionery")
    CONDIMENT = "condiment", _("Condiments and sauces")
    DRINK = "drink", _("Drinks")


class Food(ScopedModel):
    """A food of the catalogue: nationwide (``unit`` empty) or a unit's own (a school's local produce)."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"), help_text=_("empty: the nationwide catalogue"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=150)
    group = models.CharField(_("food group"), max_length=15, choices=FoodGroup.choices)
    animal = models.BooleanField(_("of animal origin"), default=False)
    dry = models.BooleanField(_("dry goods (kept in the store)"), default=False)
    inedible_pct = models.DecimalField(
        _("inedible share (%)"), max_digits=5, decimal_places=2, null=True, blank=True, default=None,
        validators=[MinValueValidator(0), MaxValueValidator(99)],
        help_text=_("empty: not known; the market list then buys the net weight and says so"))
    energy_kcal = models.DecimalField(_("energy (kcal)"), max_digits=7, decimal_places=2,
                                      validators=[MinValueValidator(0)])
    protein_g = models.DecimalField(_("protein (g)"), max_digits=7, decimal_places=2, default=0,
                                    validators=[MinValueValidator(0)])
    lipid_g = models.DecimalField(_("lipid (g)"), max_digits=7, decimal_places=2, default=0,
                                  validators=[MinValueValidator(0)])
    glucid_g = models.DecimalField(_("glucid (g)"), max_digits=7, decimal_places=2, default=0,
                                   validators=[MinValueValidator(0)])
    fibre_g = models.DecimalField(_("fibre (g)"), **NUTRIENT)
    calcium_mg = models.DecimalField(_("calcium (mg)"), **NUTRIENT)
    iron_mg = models.DecimalField(_("iron (mg)"), **NUTRIENT)
    retinol_ug = models.DecimalField(_("vitamin A, retinol (µg)"), **NUTRIENT)
    beta_carotene_ug = models.DecimalField(_("beta-carotene (µg)"), **NUTRIENT)
    vitamin_b1_mg = models.DecimalField(_("vitamin B1 (mg)"), **NUTRIENT)
    vitamin_c_mg = models.DecimalField(_("vitamin C (mg)"), **NUTRIENT)
    source = models.CharField(_("source"), max_length=300, blank=True)

    scope_path = "unit__path"
    scope_change_roles = OFFICER_ROLES | KITCHEN_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("food")
        verbose_name_plural = _("foods")
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="kitchen_food_unique_code"),
            models.UniqueConstraint(fields=["code"], condition=models.Q(unit__isnull=True),
                                    name="kitchen_food_unique_national_code"),
        ]

    def __str__(self):
        return self.name


class Supplier(ScopedModel):
    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    certificate = models.CharField(_("food safety certificate"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    scope_path = "school__unit__path"
    scope_view_roles = KITCHEN_READERS
    scope_change_roles = KITCHEN_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self):
        return self.name


class SupplierContract(ScopedModel):
    """A food supply contract (hợp đồng cung cấp thực phẩm); reminded before it expires."""

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="contracts",
                                 verbose_name=_("supplier"))
    number = models.CharField(_("contract number"), max_length=60)
    signed_on = models.DateField(_("signed on"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    goods = models.CharField(_("goods supplied"), max_length=300, blank=True)

    scope_path = "school__unit__path"
    scope_view_roles = KITCHEN_READERS
    scope_change_roles = KITCHEN_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["valid_to"]
        verbose_name = _("supplier contract")
        verbose_name_plural = _("supplier contracts")

    def __str__(self):
        return f"{self.number} ({self.supplier})"


class FoodPrice(ScopedModel):
    """The school's current price of a food, per kilogram as bought, and its usual supplier."""

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    food = models.ForeignKey(Food, on_delete=models.CASCADE, related_name="prices", verbose_name=_("food"))
    price_per_kg = models.DecimalField(_("price per kg (VND)"), validators=[MinValueValidator(0)], **MONEY)
    supplier = models.ForeignKey(Supplier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("supplier"))
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "school__unit__path"
    scope_view_roles = KITCHEN_READERS
    scope_change_roles = KITCHEN_ROLES
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("food price")
        verbose_name_plural = _("food prices")
        constraints = [models.UniqueConstraint(fields=["school", "food"], name="kitchen_price_unique")]


class KitchenSetting(ScopedModel):
    """The daily food money per child (tiền ăn) from a date: what the disclosure and the cost check use.

    The fees app owns the fee table (meal fee and its parts); this is the kitchen's side of it, the part of
    the meal fee that buys food (at Sao Sáng 25,000 of the 28,000 VND a day; the rest is fuel).
    """

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    effective_from = models.DateField(_("effective from"))
    food_money = models.DecimalField(_("daily food money per child (VND)"), validators=[MinValueValidator(0)],
                                     **MONEY)

    scope_path = "school__unit__path"
    scope_view_roles = KITCHEN_READERS | {Role.PARENT}
    scope_change_roles = SCHOOL_MANAGER_ROLES | {Role.ACCOUNTANT}
    history = HistoricalRecords()

    class Meta:
        ordering = ["school", "-effective_from"]
        verbose_name = _("kitchen setting")
        verbose_name_plural = _("kitchen settings")
        constraints = [models.UniqueConstraint(fields=["school", "effective_from"], name="kitchen_setting_unique")]


class Dish(ScopedModel):
    """A dish (món ăn): nationwide or district-shared (``unit`` above the school) or a school's own."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"), help_text=_("empty: shared by every school"))
    name = models.CharField(_("name"), max_length=150)
    liquid = models.BooleanField(_("liquid (soup, milk)"), default=False)

    scope_path = "unit__path"
    scope_change_roles = OFFICER_ROLES | KITCHEN_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("dish")
        verbose_name_plural = _("dishes")

    def __str__(self):
        return self.name


class DishIngredient(ScopedModel):
    """A food in a dish: its net (edible) quantity per child for a norm band, and the range allowed when the
    menu is balanced (empty: the rule ``kitchen.balance_range``, +/-30 %)."""

    dish = models.ForeignKey(Dish, on_delete=models.CASCADE, related_name="ingredients", verbose_name=_("dish"))
    food = models.ForeignKey(Food, on_delete=models.PROTECT, related_name="+", verbose_name=_("food"))
    band = models.CharField(_("age band"), max_length=15, choices=NormBand.choices)
    grams = models.DecimalField(_("net grams per child"), max_digits=7, decimal_places=2,
                                validators=[MinValueValidator(0)])
    min_grams = models.DecimalField(_("least grams"), max_digits=7, decimal_places=2, null=True, blank=True,
                                    validators=[MinValueValidator(0)])
    max_grams = models.DecimalField(_("most grams"), max_digits=7, decimal_places=2, null=True, blank=True,
                                    validators=[MinValueValidator(0)])

    scope_path = "dish__unit__path"
    scope_change_roles = OFFICER_ROLES | KITCHEN_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["dish", "band", "id"]
        verbose_name = _("dish ingredient")
        verbose_name_plural = _("dish ingredients")
        constraints = [models.UniqueConstraint(fields=["dish", "food", "band"], name="kitchen_ingredient_unique")]


class Menu(ScopedModel):
    """A school's weekly menu for a norm band (thực đơn tuần), published before the Saturday of the week
    before (Thông tư 09/2024/TT-BGDĐT)."""

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    band = models.CharField(_("age band"), max_length=15, choices=NormBand.choices)
    week_start = models.DateField(_("week starting (Monday)"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    scope_path = "school__unit__path"
    scope_change_roles = KITCHEN_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["-week_start", "band"]
        verbose_name = _("menu")
        verbose_name_plural = _("menus")
        constraints = [models.UniqueConstraint(fields=["school", "band", "week_start"], name="kitchen_menu_unique")]

    def __str__(self):
        return f"{self.get_band_display()} {self.week_start:%d/%m/%Y}"

    def day_date(self, weekday: int) -> dt.date:
        return self.week_start + dt.timedelta(days=weekday)


class MenuItem(ScopedModel):
    """A dish served at a meal on a day of the menu's week (0 = Monday ... 5 = Saturday)."""

    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="items", verbose_name=_("menu"))
    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("day"), validators=[MaxValueValidator(5)])
    meal = models.CharField(_("meal"), max_length=12, choices=Meal.choices)
    dish = models.ForeignKey(Dish, on_delete=models.PROTECT, related_name="+", verbose_name=_("dish"))

    scope_path = "school__unit__path"
    scope_change_roles = KITCHEN_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["menu", "weekday", "meal", "id"]
        verbose_name = _("menu item")
        verbose_name_plural = _("menu items")


class MenuPortion(ScopedModel):
    """A quantity set for one food of one menu item (after balancing), overriding the dish's recipe."""

    item = models.ForeignKey(MenuItem, on_delete=models.CASCADE, related_name="portions")
    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    food = models.ForeignKey(Food, on_delete=models.PROTECT, related_name="+")
    grams = models.DecimalField(_("net grams per child"), max_digits=7, decimal_places=2,
                                validators=[MinValueValidator(0)])

    scope_path = "school__unit__path"
    scope_change_roles = KITCHEN_ROLES
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("menu portion")
        verbose_name_plural = _("menu portions")
        constraints = [models.UniqueConstraint(fields=["item", "food"], name="kitchen_portion_unique")]


class Purchase(ScopedModel):
    """Food received for a day: actual quantity and price (the day's spending)."""

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    date = models.DateField(_("date"))
    food = models.ForeignKey(Food, on_delete=models.PROTECT, related_name="+", verbose_name=_("food"))
    supplier = models.ForeignKey(Supplier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("supplier"))
    quantity_kg = models.DecimalField(_("quantity (kg)"), max_digits=10, decimal_places=3,
                                      validators=[MinValueValidator(0)])
    unit_price = models.DecimalField(_("price per kg (VND)"), validators=[MinValueValidator(0)], **MONEY)
    amount = models.DecimalField(_("amount (VND)"), **MONEY)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    scope_path = "school__unit__path"
    scope_view_roles = KITCHEN_READERS
    scope_change_roles = KITCHEN_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "food__name"]
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        indexes = [models.Index(fields=["school", "date"])]


class StoreMove(ScopedModel):
    """Dry goods into or out of the store (kho); on hand = in - out."""

    class Kind(models.TextChoices):
        IN = "in", _("In")
        OUT = "out", _("Out")

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    date = models.DateField(_("date"))
    food = models.ForeignKey(Food, on_delete=models.PROTECT, related_name="+", verbose_name=_("food"))
    kind = models.CharField(_("movement"), max_length=3, choices=Kind.choices)
    quantity_kg = models.DecimalField(_("quantity (kg)"), max_digits=10, decimal_places=3,
                                      validators=[MinValueValidator(0)])
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_path = "school__unit__path"
    scope_view_roles = KITCHEN_READERS
    scope_change_roles = KITCHEN_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("store movement")
        verbose_name_plural = _("store movements")


class Inspection(ScopedModel):
    """A three-step food inspection record (kiểm thực ba bước, Quyết định 1246/QĐ-BYT, forms 1-3)."""

    class Step(models.IntegerChoices):
        RECEIVING = 1, _("Step 1: before processing (ingredients received)")
        PROCESSING = 2, _("Step 2: during processing")
        SERVING = 3, _("Step 3: before eating")

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    date = models.DateField(_("date"))
    step = models.PositiveSmallIntegerField(_("step"), choices=Step.choices)
    checked_at = models.TimeField(_("time checked"))
    item = models.CharField(_("food or dish"), max_length=200)
    supplier = models.ForeignKey(Supplier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("supplier"))
    quantity = models.CharField(_("quantity"), max_length=60, blank=True)
    documents = models.CharField(_("certificates and papers"), max_length=200, blank=True)
    sensory_ok = models.BooleanField(_("sensory check passed"), default=True)
    note = models.CharField(_("remarks, action taken"), max_length=300, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    scope_path = "school__unit__path"
    scope_view_roles = KITCHEN_READERS
    scope_change_roles = KITCHEN_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "step", "checked_at"]
        verbose_name = _("food inspection")
        verbose_name_plural = _("food inspections")


class RetainedSample(ScopedModel):
    """A retained food sample (lưu mẫu thức ăn, Quyết định 1246/QĐ-BYT forms 4-5)."""

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    date = models.DateField(_("date"))
    meal = models.CharField(_("meal"), max_length=12, choices=Meal.choices)
    dish = models.CharField(_("dish"), max_length=150)
    liquid = models.BooleanField(_("liquid dish"), default=False)
    amount = models.DecimalField(_("amount (g or ml)"), max_digits=7, decimal_places=1)
    temperature_c = models.DecimalField(_("storage temperature (°C)"), max_digits=4, decimal_places=1)
    taken_at = models.DateTimeField(_("sampled at"))
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("sampled by"))
    discarded_at = models.DateTimeField(_("discarded at"), null=True, blank=True)
    discarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("discarded by"))

    scope_path = "school__unit__path"
    scope_view_roles = KITCHEN_READERS
    scope_change_roles = KITCHEN_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["-taken_at"]
        verbose_name = _("retained sample")
        verbose_name_plural = _("retained samples")


class Disclosure(ScopedModel):
    """The day's meal-finance disclosure (công khai tài chính bữa ăn), fixed when published."""

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    date = models.DateField(_("date"))
    children = models.PositiveIntegerField(_("children eating"))
    food_money = models.DecimalField(_("daily food money per child (VND)"), **MONEY)
    received = models.DecimalField(_("money received (VND)"), **MONEY)
    spent = models.DecimalField(_("money spent (VND)"), **MONEY)
    menu_text = models.TextField(_("menu"), blank=True)
    photo = models.ImageField(_("photo of the meal"), upload_to="kitchen/%Y/", blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    scope_path = "school__unit__path"
    scope_view_roles = KITCHEN_READERS | {Role.PARENT}
    scope_change_roles = KITCHEN_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("meal-finance disclosure")
        verbose_name_plural = _("meal-finance disclosures")
        constraints = [models.UniqueConstraint(fields=["school", "date"], name="kitchen_disclosure_unique")]

    @property
    def difference(self):
        return self.received - self.spent
