"""Writes of the kitchen. Keyword-only, atomic, ``<entity>_<action>``; errors are ``ValidationError`` with a
dict naming the field (Vietnamese through gettext); the caller's right to write is checked with
``scoping.check`` on the school (``actor=None``: a system job such as the demo)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamnon.calc import menu_balance as lp
from mamnon.core import clock, scoping
from mamnon.core.roles import SCHOOL_MANAGER_ROLES, Role
from mamnon.kitchen import selectors, starter
from mamnon.kitchen.models import (
    KITCHEN_ROLES,
    Disclosure,
    Dish,
    DishIngredient,
    Food,
    FoodPrice,
    KitchenSetting,
    Menu,
    MenuItem,
    MenuPortion,
    Purchase,
    RetainedSample,
    StoreMove,
)


def may_approve_menu(user, school) -> bool:
    return scoping.is_admin(user) or any(g.role in SCHOOL_MANAGER_ROLES and school.unit.path.startswith(g.path)
                                         for g in scoping.grants(user))


def _may(actor, school, roles=KITCHEN_ROLES) -> None:
    if actor is None or scoping.is_admin(actor):
        return
    if not any(g.role in roles and school.unit.path.startswith(g.path) for g in scoping.grants(actor)):
        raise PermissionDenied(_("You may not change the kitchen records of this school."))


def _positive(value, field: str) -> Decimal:
    try:
        value = Decimal(str(value))
    except Exception as exc:  # noqa: BLE001 - any bad number
        raise ValidationError({field: _("Enter a number.")}) from exc
    if value < 0:
        raise ValidationError({field: _("The value may not be negative.")})
    return value


def starter_load() -> int:
    """Create the starter catalogue's foods that are missing (nationwide rows); returns how many."""
    existing = set(Food.objects.filter(unit__isnull=True).values_list("code", flat=True))
    new = [Food(unit=None, **row) for row in starter.rows() if row["code"] not in existing]
    Food.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def price_set(*, actor, school, food: Food, price_per_kg, supplier=None) -> FoodPrice:
    _may(actor, school)
    price = _positive(price_per_kg, "price_per_kg").quantize(Decimal(1), ROUND_HALF_UP)
    row, _created = FoodPrice.objects.update_or_create(school=school, food=food,
                                                       defaults={"price_per_kg": price, "supplier": supplier})
    return row


@transaction.atomic
def setting_set(*, actor, school, effective_from: dt.date, food_money) -> KitchenSetting:
    _may(actor, school, {Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.ACCOUNTANT})
    money = _positive(food_money, "food_money").quantize(Decimal(1), ROUND_HALF_UP)
    row, _created = KitchenSetting.objects.update_or_create(school=school, effective_from=effective_from,
                                                            defaults={"food_money": money})
    return row


# --- menus --------------------------------------------------------------------------------------------------


def _check_week(week_start: dt.date) -> None:
    if week_start.weekday() != 0:
        raise ValidationError({"week_start": _("A menu's week starts on a Monday.")})


@transaction.atomic
def menu_item_add(*, actor, menu: Menu, weekday: int, meal: str, dish) -> MenuItem:
    _may(actor, menu.school)
    if menu.published_at is not None:
        raise ValidationError({"menu": _("This menu is published; copy it to change it.")})
    if not 0 <= int(weekday) <= 5:
        raise ValidationError({"weekday": _("Choose a day from Monday to Saturday.")})
    if not dish.ingredients.filter(band=menu.band).exists():
        raise ValidationError({"dish": _("This dish has no quantities for this age band.")})
    return MenuItem.objects.create(menu=menu, school=menu.school, weekday=weekday, meal=meal, dish=dish)


@transaction.atomic
def menu_create(*, actor, school, band: str, week_start: dt.date) -> Menu:
    _may(actor, school)
    _check_week(week_start)
    menu, _created = Menu.objects.get_or_create(school=school, band=band, week_start=week_start)
    return menu


@transaction.atomic
def menu_item_remove(*, actor, menu: Menu, item_id) -> None:
    _may(actor, menu.school)
    if menu.published_at is not None:
        raise ValidationError({"menu": _("This menu is published; copy it to change it.")})
    try:
        item_id = int(item_id)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"item": _("Enter a number.")}) from exc
    MenuItem.objects.filter(menu=menu, pk=item_id).delete()


@transaction.atomic
def dish_create(*, actor, school, name: str, liquid: bool = False) -> Dish:
    """A school's own dish (shared dishes are the nationwide rows, kept by administrators)."""
    _may(actor, school)
    return Dish.objects.create(unit=school.unit, name=name, liquid=liquid)


@transaction.atomic
def ingredient_add(*, actor, dish: Dish, food: Food, band: str, grams, min_grams=None, max_grams=None
                   ) -> DishIngredient:
    if actor is not None and not scoping.check(actor, scoping.CHANGE, dish):
        raise PermissionDenied(_("You may not change this dish."))
    grams = _positive(grams, "grams")
    if DishIngredient.objects.filter(dish=dish, food=food, band=band).exists():
        raise ValidationError({"food": _("This food is already in the dish for this age band.")})
    return DishIngredient.objects.create(dish=dish, food=food, band=band, grams=grams, min_grams=min_grams,
                                         max_grams=max_grams)


@transaction.atomic
def menu_copy(*, actor, menu: Menu, week_start: dt.date, band: str | None = None) -> Menu:
    """Copy a week's menu (dishes and balanced portions) to another week (rotation) or band."""
    _may(actor, menu.school)
    _check_week(week_start)
    band = band or menu.band
    if Menu.objects.filter(school=menu.school, band=band, week_start=week_start).exists():
        raise ValidationError({"week_start": _("A menu for this week and age band already exists.")})
    new = Menu.objects.create(school=menu.school, band=band, week_start=week_start)
    items = list(menu.items.all())
    portions = list(MenuPortion.objects.filter(item__menu=menu)) if band == menu.band else []
    created = MenuItem.objects.bulk_create([MenuItem(menu=new, school=menu.school, weekday=i.weekday, meal=i.meal,
                                                     dish_id=i.dish_id) for i in items])
    mapping = {old.pk: fresh.pk for old, fresh in zip(items, created, strict=True)}
    MenuPortion.objects.bulk_create([MenuPortion(item_id=mapping[p.item_id], school=menu.school, food_id=p.food_id,
                                                 grams=p.grams) for p in portions])
    return new


def menu_rotate(*, actor, menus, first_week: dt.date, weeks: int) -> list[Menu]:
    """Repeat a cycle of weekly menus (in order) over ``weeks`` weeks from ``first_week``."""
    menus = list(menus)
    if not menus:
        raise ValidationError({"menus": _("Choose at least one menu to rotate.")})
    out = []
    for k in range(weeks):
        out.append(menu_copy(actor=actor, menu=menus[k % len(menus)], week_start=first_week + dt.timedelta(weeks=k)))
    return out


@transaction.atomic
def menu_publish(*, actor, menu: Menu, now: dt.datetime | None = None) -> Menu:
    """Approve a week's menu and publish it to the school's parents: the principal or the vice-principal does
    it (the cook enters the menu, the school's manager approves it). Late publication (on or after the Saturday
    of the week before, TT 09/2024) is refused."""
    if actor is not None and not scoping.is_admin(actor) and not may_approve_menu(actor, menu.school):
        raise PermissionDenied(_("The principal or the vice-principal approves and publishes the menu."))
    now = now or clock.now()
    deadline = selectors.publish_deadline(menu.week_start, unit=menu.school.unit)
    if timezone.localtime(now).date() >= deadline:
        raise ValidationError({"menu": _("A week's menu must be published before %(date)s (the Saturday of the "
                                         "week before, Thông tư 09/2024).") % {"date": deadline.strftime("%d/%m/%Y")}})
    if not menu.items.exists():
        raise ValidationError({"menu": _("The menu has no dishes.")})
    menu.published_at = now
    menu.published_by = actor
    menu.save(update_fields=["published_at", "published_by"])
    return menu


def menu_balance(*, menu: Menu, apply: bool = False, actor=None) -> tuple[lp.Balance, selectors.Ration]:
    """Least-cost quantities for the week's menu within each ingredient's range, meeting every norm within the
    food money; with ``apply`` (and a solution), store them as the menu's portions."""
    ration = selectors.ration_rows(menu_ids=[menu.pk])
    if not len(ration):
        raise ValidationError({"menu": _("The menu has no dishes.")})
    table = selectors.food_table(ration.food_id)
    idx = table.index(ration.food_id)
    _days, groups = np.unique(ration.weekday, return_inverse=True)
    norm = selectors.norm_for(menu.band, on=menu.week_start, unit=menu.school.unit)
    if norm is None:
        raise ValidationError({"menu": _("No nutrition norm is configured for this age band.")})
    money = selectors.food_money(school=menu.school, on=menu.week_start)
    spread = float(selectors.rule_number("kitchen.balance_range", on=menu.week_start, default=Decimal("0.3")))
    price_map = selectors.prices([menu.school_id], ration.food_id.tolist())
    result = lp.balance(
        groups=groups, grams=np.nan_to_num(ration.grams), composition=table.composition[idx],
        inedible_pct=table.inedible[idx],
        price_per_kg=selectors.price_array(ration.school_id, ration.food_id, price_map),
        norms=norm.as_array(), budget=float(money) if money is not None else 1e12, low=ration.low,
        high=ration.high, spread=spread, margin=0.5)
    if apply and result.group_feasible is not None and result.group_feasible.any():
        # Days that can meet the norms get their least-cost quantities; the others keep the recipe.
        _may(actor, menu.school)
        rows = result.group_feasible[groups]
        with transaction.atomic():
            MenuPortion.objects.filter(item__menu=menu, item__weekday__in=ration.weekday[rows].tolist()).delete()
            MenuPortion.objects.bulk_create([
                MenuPortion(item_id=int(i), school_id=menu.school_id, food_id=int(f),
                            grams=Decimal(str(round(g, 2))))
                for i, f, g in zip(ration.item_id[rows], ration.food_id[rows], result.grams[rows], strict=True)])
    return result, ration


# --- purchases, store ------------------------------------------------------------------------------------


@transaction.atomic
def purchase_record(*, actor, school, date: dt.date, food: Food, quantity_kg, unit_price, supplier=None) -> Purchase:
    _may(actor, school)
    qty = _positive(quantity_kg, "quantity_kg")
    price = _positive(unit_price, "unit_price").quantize(Decimal(1), ROUND_HALF_UP)
    if qty == 0:
        raise ValidationError({"quantity_kg": _("The quantity must be more than zero.")})
    amount = (qty * price).quantize(Decimal(1), ROUND_HALF_UP)
    purchase = Purchase.objects.create(school=school, date=date, food=food, supplier=supplier, quantity_kg=qty,
                                       unit_price=price, amount=amount, received_by=actor)
    if food.dry:
        StoreMove.objects.create(school=school, date=date, food=food, kind=StoreMove.Kind.IN, quantity_kg=qty,
                                 note=_("Purchase"))
    return purchase


@transaction.atomic
def store_take(*, actor, school, date: dt.date, food: Food, quantity_kg, note: str = "") -> StoreMove:
    """Take dry goods out of the store; never more than is on hand."""
    _may(actor, school)
    qty = _positive(quantity_kg, "quantity_kg")
    on_hand = dict(selectors.store_on_hand(school=school)).get(food.name, Decimal(0))
    if qty > on_hand:
        raise ValidationError({"quantity_kg": _("Only %(n)s kg of %(food)s is in the store.") % {
            "n": on_hand, "food": food.name}})
    return StoreMove.objects.create(school=school, date=date, food=food, kind=StoreMove.Kind.OUT, quantity_kg=qty,
                                    note=note)


# --- food safety -------------------------------------------------------------------------------------------


def sample_check(sample: RetainedSample) -> None:
    """The figures of Quyết định 1246/QĐ-BYT (Rule rows): amount, temperature, time kept."""
    unit = sample.school.unit
    day = sample.date
    errors = {}
    least = selectors.rule_number("kitchen.sample_min_ml" if sample.liquid else "kitchen.sample_min_g", on=day,
                                  unit=unit, default=Decimal(150 if sample.liquid else 100))
    if sample.amount is None or sample.amount < least:
        errors["amount"] = _("A retained sample is at least %(n)s %(unit)s.") % {
            "n": least, "unit": "ml" if sample.liquid else "g"}
    lo = selectors.rule_number("kitchen.sample_temp_min", on=day, unit=unit, default=Decimal(2))
    hi = selectors.rule_number("kitchen.sample_temp_max", on=day, unit=unit, default=Decimal(8))
    if sample.temperature_c is None or not lo <= sample.temperature_c <= hi:
        errors["temperature_c"] = _("Samples are kept at %(lo)s-%(hi)s °C.") % {"lo": lo, "hi": hi}
    if sample.discarded_at is not None:
        hours = selectors.rule_number("kitchen.sample_hours", on=day, unit=unit, default=Decimal(24))
        if sample.discarded_at < sample.taken_at + dt.timedelta(hours=float(hours)):
            errors["discarded_at"] = _("A sample is kept at least %(n)s hours after it was taken.") % {"n": hours}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def sample_record(*, actor, sample: RetainedSample) -> RetainedSample:
    _may(actor, sample.school)
    sample.taken_by = sample.taken_by or actor
    sample_check(sample)
    sample.save()
    return sample


@transaction.atomic
def sample_discard(*, actor, sample: RetainedSample, at: dt.datetime | None = None) -> RetainedSample:
    _may(actor, sample.school)
    sample.discarded_at = at or clock.now()
    sample.discarded_by = actor
    sample_check(sample)
    sample.save(update_fields=["discarded_at", "discarded_by"])
    return sample


# --- disclosure ------------------------------------------------------------------------------------------


@transaction.atomic
def disclosure_publish(*, actor, school, day: dt.date, children: int | None = None, photo=None) -> Disclosure:
    """Fix and publish the day's meal-finance disclosure: children eating x food money received, the day's
    purchases spent, the menu; parents of the school see it in the portal."""
    _may(actor, school)
    money = selectors.food_money(school=school, on=day)
    if money is None:
        raise ValidationError({"food_money": _("Set the school's daily food money first.")})
    if children is None:
        counts, _forecast = selectors.meal_count_for(school, day)
        children = sum(counts.values())
    if int(children) < 0:
        raise ValidationError({"children": _("The value may not be negative.")})
    fields = {"children": int(children), "food_money": money, "received": money * int(children),
              "spent": selectors.spent_on(school=school, day=day),
              "menu_text": selectors.menu_text(school=school, day=day),
              "published_at": clock.now(), "published_by": actor}
    disclosure, _created = Disclosure.objects.update_or_create(school=school, date=day, defaults=fields)
    if photo is not None:
        disclosure.photo = photo
        disclosure.save(update_fields=["photo"])
    return disclosure
