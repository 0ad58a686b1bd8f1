"""Writes of the facilities domain: keyword-only, atomic, checked against scoping (the acting user)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from mamnon.children.models import Group
from mamnon.core import clock
from mamnon.facilities import selectors
from mamnon.facilities.models import (
    EquipmentItem,
    FacilityProfile,
    GroupEquipment,
    PurchasePlan,
    PurchasePlanLine,
    Room,
    Stocktake,
    StocktakeLine,
)
from mamnon.org.models import School, SchoolYear, Site

PROFILE_FIELDS = ("urban", "land_area", "yard_area", "grass_area", "internet", "management_software", "cameras",
                  "note")
MAX_PIECES = 1_000_000
MAX_PRICE = Decimal(10) ** 13
ROOM_FIELDS = ("site", "name", "kind", "construction", "area", "condition", "group", "in_use", "one_way",
               "clean_water", "supply_contract", "food_safety_cert", "meets_standard")


def _require_manager(actor, school: School) -> None:
    if actor is not None and not selectors.can_manage(actor, school.pk):
        raise PermissionDenied(_("Only the school's principal or vice-principals may do this."))


# --- profile and rooms ----------------------------------------------------------------------------------------


@transaction.atomic
def profile_update(*, school: School, actor, website: str | None = None, **values) -> FacilityProfile:
    """Create or change a school's facility profile (and its website address, kept on the school)."""
    _require_manager(actor, school)
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"unknown profile fields: {sorted(unknown)}")
    profile = FacilityProfile.objects.filter(school=school).first() or FacilityProfile(school=school)
    for name, value in values.items():
        setattr(profile, name, value)
    errors = {}
    if profile.grass_area is not None and profile.yard_area is not None and profile.grass_area > profile.yard_area:
        errors["grass_area"] = _("The grass area cannot be larger than the yard area.")
    try:
        profile.full_clean(exclude=["school"])
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    profile.save()
    if website is not None and website != school.website:
        school.website = website
        school.full_clean(validate_unique=False, validate_constraints=False)
        school.save(update_fields=["website"])
    return profile


def _room_validate(room: Room) -> None:
    errors: dict[str, list[str]] = {}
    if room.site_id and room.site.school_id != room.school_id:
        errors.setdefault("site", []).append(_("This site belongs to another school."))
    if room.group_id:
        if room.group.school_id != room.school_id:
            errors.setdefault("group", []).append(_("This group belongs to another school."))
        elif room.kind != Room.Kind.GROUP_ROOM:
            errors.setdefault("group", []).append(_("Only a group room is assigned to a group."))
    if room.area is not None and room.area <= 0:
        errors.setdefault("area", []).append(_("The area must be greater than 0 m²."))
    try:
        room.full_clean(exclude=["school"])
    except ValidationError as exc:
        for key, msgs in exc.message_dict.items():
            errors.setdefault(key, []).extend(m for m in msgs if m not in errors.get(key, []))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def room_create(*, school: School, actor, **values) -> Room:
    _require_manager(actor, school)
    room = Room(school=school)
    for name in ROOM_FIELDS:
        if name in values:
            setattr(room, name, values[name])
    if not room.site_id:
        room.site = Site.objects.filter(school=school).order_by("-is_main", "pk").first()
    _room_validate(room)
    room.save()
    return room


@transaction.atomic
def room_update(*, room: Room, actor, **values) -> Room:
    _require_manager(actor, room.school)
    for name in ROOM_FIELDS:
        if name in values:
            setattr(room, name, values[name])
    _room_validate(room)
    room.save()
    return room


@transaction.atomic
def room_delete(*, room: Room, actor) -> None:
    _require_manager(actor, room.school)
    room.delete()


# --- inventory --------------------------------------------------------------------------------------------------


@transaction.atomic
def inventory_set(*, group: Group, actor, counts: dict[int, tuple[int, int]]) -> int:
    """Set a group's holdings: ``{item_id: (quantity, damaged)}``. All or nothing; returns rows written."""
    _require_manager(actor, group.school)
    band = selectors.EQUIPMENT_BAND.get(group.age_band, group.age_band)
    valid = set(EquipmentItem.objects.filter(age_band=band, pk__in=list(counts)).values_list("pk", flat=True))
    errors = []
    for item_id, (quantity, damaged) in counts.items():
        if item_id not in valid:
            errors.append(_("Item %(id)s is not on the list for this group's age band.") % {"id": item_id})
        elif quantity < 0 or damaged < 0:
            errors.append(_("Quantities cannot be negative."))
        elif quantity > MAX_PIECES:
            errors.append(_("A quantity cannot exceed %(n)s pieces.") % {"n": f"{MAX_PIECES:,}".replace(",", ".")})
        elif damaged > quantity:
            errors.append(_("More damaged pieces than pieces in total."))
    if errors:
        raise ValidationError(errors)
    existing = {h.item_id: h for h in GroupEquipment.objects.filter(group=group, item_id__in=list(counts))}
    new, changed = [], []
    for item_id, (quantity, damaged) in counts.items():
        row = existing.get(item_id)
        if row is None:
            new.append(GroupEquipment(school_id=group.school_id, group=group, item_id=item_id, quantity=quantity,
                                      damaged=damaged))
        elif (row.quantity, row.damaged) != (quantity, damaged):
            row.quantity, row.damaged, row.updated_at = quantity, damaged, timezone.now()
            changed.append(row)
    if new:
        bulk_create_with_history(new, GroupEquipment, default_user=actor)
    if changed:
        bulk_update_with_history(changed, GroupEquipment, ["quantity", "damaged", "updated_at"], default_user=actor)
    return len(new) + len(changed)


# --- stocktake ------------------------------------------------------------------------------------------------


@transaction.atomic
def stocktake_start(*, school: School, year: SchoolYear, day: dt.date, actor, note: str = "") -> Stocktake:
    """Open the year's stocktake: one line per group and catalogue item of its band, with the book quantity."""
    _require_manager(actor, school)
    if Stocktake.objects.filter(school=school, closed_at__isnull=True).exists():
        raise ValidationError(_("A stocktake is already open for this school."))
    if not (year.start_date <= day <= year.end_date + dt.timedelta(days=120)):
        raise ValidationError({"day": _("The date is outside the school year.")})
    take = Stocktake.objects.create(school=school, school_year=year, day=day, note=note, started_by=actor)
    groups = list(Group.objects.filter(school=school, school_year=year, active=True))
    lines = selectors.group_lines(groups, day=day)
    StocktakeLine.objects.bulk_create([
        StocktakeLine(stocktake=take, school=school, group_id=gid, item=line.item, book_quantity=line.quantity,
                      book_damaged=line.damaged)
        for gid, group_lines in lines.items() for line in group_lines
    ])
    return take


@transaction.atomic
def stocktake_count(*, stocktake: Stocktake, group: Group, actor, counts: dict[int, tuple[int, int]]) -> int:
    """Record the counted pieces of one group: ``{item_id: (counted, damaged)}``."""
    _require_manager(actor, stocktake.school)
    if not stocktake.is_open:
        raise ValidationError(_("This stocktake is closed."))
    lines = {ln.item_id: ln for ln in StocktakeLine.objects.filter(stocktake=stocktake, group=group)}
    errors = []
    for item_id, (counted, damaged) in counts.items():
        if item_id not in lines:
            errors.append(_("Item %(id)s is not on this group's stocktake sheet.") % {"id": item_id})
        elif counted < 0 or damaged < 0 or damaged > counted or counted > MAX_PIECES:
            errors.append(_("%(item)s: the damaged pieces must be between 0 and the pieces counted.")
                          % {"item": lines[item_id].item.name})
    if errors:
        raise ValidationError(errors)
    for item_id, (counted, damaged) in counts.items():
        lines[item_id].counted, lines[item_id].counted_damaged = counted, damaged
    changed = [lines[i] for i in counts]
    StocktakeLine.objects.bulk_update(changed, ["counted", "counted_damaged"])
    return len(changed)


@transaction.atomic
def stocktake_close(*, stocktake: Stocktake, actor) -> int:
    """Apply the counted quantities to the groups' inventory (lines not counted keep the book); close."""
    _require_manager(actor, stocktake.school)
    if not stocktake.is_open:
        raise ValidationError(_("This stocktake is closed."))
    by_group: dict[int, dict[int, tuple[int, int]]] = {}
    for ln in StocktakeLine.objects.filter(stocktake=stocktake, counted__isnull=False):
        by_group.setdefault(ln.group_id, {})[ln.item_id] = (ln.counted, ln.counted_damaged or 0)
    written = 0
    for group in Group.objects.filter(pk__in=list(by_group)).select_related("school"):
        written += inventory_set(group=group, actor=actor, counts=by_group[group.pk])
    stocktake.closed_at, stocktake.closed_by = clock.now(), actor
    stocktake.save(update_fields=["closed_at", "closed_by"])
    return written


# --- purchase plans -----------------------------------------------------------------------------------------------


@transaction.atomic
def purchase_plan_from_shortfalls(*, school: School, year: SchoolYear, actor, day: dt.date | None = None,
                                  title: str = "") -> PurchasePlan:
    """A plan buying, for each catalogue item, the pieces the school's groups fall short of."""
    _require_manager(actor, school)
    day = day or selectors.today()
    groups = list(Group.objects.filter(school=school, school_year=year, active=True))
    need: dict[int, list] = {}
    for lines in selectors.group_lines(groups, day=day).values():
        for line in lines:
            if line.short:
                entry = need.setdefault(line.item.pk, [line.item, 0, 0])
                entry[1] += line.short
                entry[2] += 1
    if not need:
        raise ValidationError(_("No group falls short of the minimum list: there is nothing to buy."))
    plan = PurchasePlan.objects.create(
        school=school, school_year=year, created_by=actor,
        title=title or _("Equipment purchase plan %(year)s") % {"year": year.code})
    PurchasePlanLine.objects.bulk_create([
        PurchasePlanLine(plan=plan, school=school, item=item, quantity=qty, groups=n)
        for item, qty, n in sorted(need.values(), key=lambda e: (e[0].age_band, e[0].code))
    ])
    return plan


@transaction.atomic
def purchase_plan_prices(*, plan: PurchasePlan, actor, prices: dict[int, Decimal | None]) -> None:
    _require_manager(actor, plan.school)
    lines = {ln.pk: ln for ln in plan.lines.all()}
    for pk, price in prices.items():
        if pk in lines:
            if price is not None and price < 0:
                raise ValidationError({"unit_price": _("A price cannot be negative.")})
            if price is not None and (price >= MAX_PRICE or price != price.to_integral_value()):
                raise ValidationError({"unit_price": _("A price is a whole number of đồng below 10,000 billion.")})
            lines[pk].unit_price = price
    PurchasePlanLine.objects.bulk_update(list(lines.values()), ["unit_price"])
