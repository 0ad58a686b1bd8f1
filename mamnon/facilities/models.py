"""Facilities and equipment: a school's facility profile, its rooms (with kitchen and toilet attributes),
the minimum equipment catalogue (Thông tư 02/2010/TT-BGDĐT, amended by Thông tư 34/2013/TT-BGDĐT), each
group's inventory, the annual stocktake
(kiểm kê) and purchase plans made from shortfalls.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from mamnon.core.models import ScopedManager, ScopedModel
from mamnon.core.roles import OFFICER_ROLES, SCHOOL_MANAGER_ROLES, SCHOOL_STAFF_ROLES

# Staff of the school and the offices above it read facility records (not parents); the school's managers
# change them.
VIEW_ROLES = OFFICER_ROLES | SCHOOL_STAFF_ROLES
CHANGE_ROLES = SCHOOL_MANAGER_ROLES

AREA = {"max_digits": 9, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class FacilityProfile(ScopedModel):
    """School-level facts (one per school): land, yard and grass areas, internet, software, cameras.

    The website address is the school's own (``org.School.website``), edited from here.
    """

    school = models.OneToOneField("org.School", on_delete=models.CASCADE, primary_key=True,
                                  related_name="facility_profile", verbose_name=_("school"))
    urban = models.BooleanField(_("in a city, town or mountainous area"), default=False,
                                help_text=_("the lower land-per-child minimum applies (8 m² instead of 12 m²)"))
    land_area = models.DecimalField(_("land area (m²)"), default=0, **AREA)
    yard_area = models.DecimalField(_("yard area (m²)"), default=0, **AREA)
    grass_area = models.DecimalField(_("grass area of the yard (m²)"), default=0, **AREA)
    internet = models.BooleanField(_("connected to the internet"), default=False)
    management_software = models.CharField(_("management software used"), max_length=200, blank=True)
    cameras = models.PositiveIntegerField(_("security cameras"), default=0)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "school__unit__path"
    scope_view_roles = VIEW_ROLES
    scope_change_roles = CHANGE_ROLES
    scope_commune = "school__commune_id"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("facility profile")
        verbose_name_plural = _("facility profiles")
        constraints = [
            models.CheckConstraint(condition=models.Q(grass_area__lte=models.F("yard_area")),
                                   name="facilities_grass_within_yard"),
        ]

    def __str__(self):
        return str(self.school)


class Room(ScopedModel):
    """A room or building part of a site; kitchens and toilets carry their own attributes."""

    class Kind(models.TextChoices):
        GROUP_ROOM = "group_room", _("Group room")
        FUNCTION_ROOM = "function_room", _("Function room (physical / art education)")
        KITCHEN = "kitchen", _("Kitchen")
        TOILET = "toilet", _("Toilet")
        LIBRARY = "library", _("Library")
        COMPUTER_ROOM = "computer_room", _("Computer room")
        ONLINE_MEETING = "online_meeting", _("Online meeting room")
        OFFICE = "office", _("Office")
        HEALTH = "health", _("Health room")
        STORE = "store", _("Store room")
        OTHER = "other", _("Other")

    class Construction(models.TextChoices):
        PERMANENT = "permanent", _("Permanent")
        SEMI_PERMANENT = "semi_permanent", _("Semi-permanent")
        TEMPORARY = "temporary", _("Temporary")

    class Condition(models.TextChoices):
        GOOD = "good", _("Good")
        FAIR = "fair", _("Needs repair")
        POOR = "poor", _("Degraded")

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="rooms",
                               verbose_name=_("school"))
    site = models.ForeignKey("org.Site", on_delete=models.CASCADE, related_name="rooms", verbose_name=_("site"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(pgettext_lazy("room", "kind"), max_length=20, choices=Kind.choices)
    construction = models.CharField(_("construction"), max_length=20, choices=Construction.choices,
                                    default=Construction.PERMANENT)
    area = models.DecimalField(_("area (m²)"), **AREA)
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices, default=Condition.GOOD)
    group = models.ForeignKey("children.Group", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="rooms", verbose_name=_("group using it"))
    in_use = models.BooleanField(_("in use"), default=True)
    # Kitchens (Quyết định 1246/QĐ-BYT practice; seed 000's targets): one-way layout, clean water,
    # signed food-supply contracts, food-safety certificate.
    one_way = models.BooleanField(_("one-way layout"), default=False)
    clean_water = models.BooleanField(_("clean water"), default=False)
    supply_contract = models.BooleanField(_("signed food-supply contract"), default=False)
    food_safety_cert = models.BooleanField(_("food-safety certificate"), default=False)
    # Toilets: meets the standard (seed 000's TOILET_STD target).
    meets_standard = models.BooleanField(_("meets the standard"), default=False)

    scope_path = "school__unit__path"
    scope_view_roles = VIEW_ROLES
    scope_change_roles = CHANGE_ROLES
    scope_commune = "school__commune_id"
    history = HistoricalRecords()

    class Meta:
        ordering = ["school_id", "site_id", "kind", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        indexes = [models.Index(fields=["school", "kind"], name="facilities_room_school_kind")]

    def __str__(self):
        return self.name


class EquipmentItem(models.Model):
    """An entry of the minimum equipment list (Thông tư 02/2010/TT-BGDĐT, amended by TT 34/2013) for one age band.

    National reference data (no unit, so no ``scope_path``): everyone signed in reads it, administrators
    import it (core.scoping's reference-data rule). Its change log is the admin's history, not the
    school audit log.
    """

    class Category(models.TextChoices):
        FURNITURE = "furniture", _("Furniture and fittings")
        TEACHING = "teaching", _("Teaching equipment, toys and materials")
        BOOKS = "books", _("Books, documents and media")

    class Domain(models.TextChoices):
        GENERAL = "general", _("General")
        PHYSICAL = "physical", _("Physical development")
        COGNITIVE = "cognitive", _("Cognitive development")
        LANGUAGE = "language", _("Language development")
        SOCIAL = "social", _("Social-emotional development")
        AESTHETIC = "aesthetic", _("Aesthetic development")

    class Basis(models.TextChoices):
        GROUP = "group", _("per group")
        CHILD = "child", _("per child")

    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    age_band = models.CharField(_("age band"), max_length=15)
    category = models.CharField(_("category"), max_length=15, choices=Category.choices)
    domain = models.CharField(_("development domain"), max_length=15, choices=Domain.choices,
                              default=Domain.GENERAL)
    unit_name = models.CharField(pgettext_lazy("equipment", "unit"), max_length=30, default="cái")
    quantity = models.DecimalField(_("quantity"), max_digits=7, decimal_places=2,
                                   validators=[MinValueValidator(0)])
    basis = models.CharField(_("counted"), max_length=10, choices=Basis.choices, default=Basis.GROUP)
    source = models.CharField(_("source"), max_length=200, blank=True)
    active = models.BooleanField(pgettext_lazy("equipment", "active"), default=True)

    objects = ScopedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["age_band", "category", "code"]
        verbose_name = _("equipment item")
        verbose_name_plural = _("equipment items")
        constraints = [
            models.UniqueConstraint(fields=["age_band", "code"], name="facilities_item_band_code_unique"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def band_label(self) -> str:
        from mamnon.children.models import AgeBand

        return str(AgeBand(self.age_band).label) if self.age_band in AgeBand.values else self.age_band


class GroupEquipment(ScopedModel):
    """What one group has of one catalogue item: pieces in total and how many are broken."""

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school"))
    group = models.ForeignKey("children.Group", on_delete=models.CASCADE, related_name="equipment",
                              verbose_name=_("group"))
    item = models.ForeignKey(EquipmentItem, on_delete=models.PROTECT, related_name="holdings",
                             verbose_name=_("item"))
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    damaged = models.PositiveIntegerField(_("damaged"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "school__unit__path"
    scope_view_roles = VIEW_ROLES
    scope_change_roles = CHANGE_ROLES
    scope_group = "group_id"
    history = HistoricalRecords()

    class Meta:
        ordering = ["group_id", "item_id"]
        verbose_name = _("group equipment")
        verbose_name_plural = _("group equipment")
        constraints = [
            models.UniqueConstraint(fields=["group", "item"], name="facilities_group_item_unique"),
            models.CheckConstraint(condition=models.Q(damaged__lte=models.F("quantity")),
                                   name="facilities_damaged_within_quantity"),
        ]

    @property
    def usable(self) -> int:
        return self.quantity - self.damaged


class Stocktake(ScopedModel):
    """The annual stocktake (kiểm kê) of a school's equipment: counts per group, applied when closed."""

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="stocktakes",
                               verbose_name=_("school"))
    school_year = models.ForeignKey("org.SchoolYear", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("school year"))
    day = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")

    scope_path = "school__unit__path"
    scope_view_roles = VIEW_ROLES
    scope_change_roles = CHANGE_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class StocktakeLine(ScopedModel):
    """One item of one group in a stocktake: the book quantity when it started and the counted quantity."""

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="lines")
    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("children.Group", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(EquipmentItem, on_delete=models.PROTECT, related_name="+")
    book_quantity = models.PositiveIntegerField(_("book quantity"), default=0)
    book_damaged = models.PositiveIntegerField(_("book damaged"), default=0)
    counted = models.PositiveIntegerField(_("counted"), null=True, blank=True)
    counted_damaged = models.PositiveIntegerField(_("counted damaged"), null=True, blank=True)

    scope_path = "school__unit__path"
    scope_view_roles = VIEW_ROLES
    scope_change_roles = CHANGE_ROLES
    scope_group = "group_id"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stocktake line")
        verbose_name_plural = _("stocktake lines")
        ordering = ["stocktake_id", "group_id", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "group", "item"], name="facilities_stockline_unique"),
        ]


class PurchasePlan(ScopedModel):
    """A purchase plan for a school year, made from the shortfalls of the school's groups."""

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="purchase_plans",
                               verbose_name=_("school"))
    school_year = models.ForeignKey("org.SchoolYear", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("school year"))
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope_path = "school__unit__path"
    scope_view_roles = VIEW_ROLES
    scope_change_roles = CHANGE_ROLES
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("purchase plan")
        verbose_name_plural = _("purchase plans")

    def __str__(self):
        return self.title


class PurchasePlanLine(ScopedModel):
    plan = models.ForeignKey(PurchasePlan, on_delete=models.CASCADE, related_name="lines")
    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(EquipmentItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = models.PositiveIntegerField(_("quantity"))
    groups = models.PositiveIntegerField(_("groups short"), default=0)
    unit_price = models.DecimalField(_("unit price (VND)"), max_digits=14, decimal_places=0, null=True, blank=True)

    scope_path = "school__unit__path"
    scope_view_roles = VIEW_ROLES
    scope_change_roles = CHANGE_ROLES
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("purchase plan line")
        verbose_name_plural = _("purchase plan lines")
        ordering = ["plan_id", "item__age_band", "item__code"]
