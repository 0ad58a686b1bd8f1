"""Reads of the kitchen: norms, food money, ration rows of menus, analyses, market lists, disclosures.

Arithmetic is in ``mamnon.calc.nutrition`` and ``mamnon.calc.menu_balance``; here only queries (a fixed
number per call) and the assembly of their rows into arrays.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.db import connection
from django.db.models import Q, Sum

from mamnon.calc import nutrition
from mamnon.core import clock
from mamnon.core.rules import rules_in_force
from mamnon.kitchen.models import (
    GROUP_BAND_TO_NORM,
    MEALS_BY_BAND,
    Disclosure,
    Food,
    FoodPrice,
    KitchenSetting,
    Meal,
    Menu,
    MenuItem,
    NormBand,
    Purchase,
    StoreMove,
    SupplierContract,
)

NORM_KEYS = ("energy", "protein_pct", "lipid_pct", "glucid_pct")


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def norm_for(band: str, *, on: dt.date, unit=None) -> nutrition.Norm | None:
    """The band's norm in force on a day (Rule rows ``norm.<band>.*``); None when a figure is missing."""
    codes = [f"norm.{band}.{k}_{m}" for k in NORM_KEYS for m in ("min", "max")]
    found = rules_in_force(codes, on=on, unit=unit)
    if len(found) < len(codes):
        return None
    pairs = [(float(found[f"norm.{band}.{k}_min"].value), float(found[f"norm.{band}.{k}_max"].value))
             for k in NORM_KEYS]
    return nutrition.Norm(*pairs)


@dataclass(frozen=True)
class MealNorm:
    """A band's meal split: each meal's share of the day's recommended energy (%, min and max), and that
    recommended energy (kcal, min and max) from which the share is taken at its midpoint."""

    daily_energy: tuple[float, float]
    meals: dict  # meal -> (min %, max %)

    @property
    def reference_kcal(self) -> float:
        return (self.daily_energy[0] + self.daily_energy[1]) / 2


def meal_norm_for(band: str, *, on: dt.date, unit=None) -> MealNorm | None:
    """The band's meal split in force (Rule rows ``norm.<band>.meal.<meal>_min/_max`` and
    ``norm.<band>.daily_energy_min/_max``); None without the daily energy. Meals without a row are not checked."""
    meals = [m.value for m in Meal]
    codes = [f"norm.{band}.daily_energy_{m}" for m in ("min", "max")]
    codes += [f"norm.{band}.meal.{meal}_{m}" for meal in meals for m in ("min", "max")]
    found = rules_in_force(codes, on=on, unit=unit)
    try:
        daily = (float(found[f"norm.{band}.daily_energy_min"].value),
                 float(found[f"norm.{band}.daily_energy_max"].value))
    except KeyError:
        return None
    split = {}
    for meal in meals:
        lo, hi = found.get(f"norm.{band}.meal.{meal}_min"), found.get(f"norm.{band}.meal.{meal}_max")
        if lo is not None and hi is not None:
            split[meal] = (float(lo.value), float(hi.value))
    return MealNorm(daily, split) if daily[0] + daily[1] > 0 else None


@dataclass
class MealShare:
    """One meal of a day: its energy, its share of the day's recommended energy, and the norm (a warning when
    outside; the day's pass mark stays on the day's energy and P/L/G shares)."""

    meal: str
    label: str
    energy: float
    pct: float
    norm: tuple[float, float] | None
    ok: bool | None  # None: no norm for this meal


def meal_shares(meal_energy: dict, norm: MealNorm | None, *, band: str) -> list[MealShare]:
    """The meals of a day against the split: every meal the band's norm names (absent: 0 kcal) and any other
    meal served (unchecked when the norm does not name it). Share = kcal / midpoint of the day's need x 100."""
    if norm is None:
        return []
    order = [m.value for m in Meal]
    wanted = set(norm.meals) | {str(m) for m in MEALS_BY_BAND.get(band, ())} | set(meal_energy)
    out = []
    for meal in sorted(wanted, key=order.index):
        kcal = float(meal_energy.get(meal, 0.0))
        pct = kcal / norm.reference_kcal * 100.0
        bounds = norm.meals.get(meal)
        ok = None if bounds is None else bool(bounds[0] - 1e-9 <= pct <= bounds[1] + 1e-9)
        out.append(MealShare(meal, str(Meal(meal).label), kcal, pct, bounds, ok))
    return out


def norm_basis(band: str, *, on: dt.date, unit=None) -> str:
    rule = rules_in_force([f"norm.{band}.energy_min"], on=on, unit=unit).get(f"norm.{band}.energy_min")
    return rule.legal_basis if rule else ""


def rule_number(code: str, *, on: dt.date, unit=None, default=None) -> Decimal | None:
    rule = rules_in_force([code], on=on, unit=unit).get(code)
    return rule.value if rule is not None else default


def food_money(*, school, on: dt.date) -> Decimal | None:
    """The daily food money per child in force at the school on a day (KitchenSetting)."""
    row = (KitchenSetting.objects.filter(school=school, effective_from__lte=on).order_by("-effective_from")
           .values_list("food_money", flat=True).first())
    return row


def publish_deadline(menu_week_start: dt.date, *, unit=None) -> dt.date:
    """The first day that is too late to publish a week's menu: the Saturday of the week before (TT 09/2024)."""
    days = rule_number("kitchen.menu_publish_days_before", on=menu_week_start, unit=unit, default=Decimal(2))
    return menu_week_start - dt.timedelta(days=int(days))


# --- ration rows ------------------------------------------------------------------------------------------


@dataclass
class Ration:
    """Ration rows of many menu-days: aligned arrays, one entry per (menu item, food)."""

    menu_id: np.ndarray
    school_id: np.ndarray
    weekday: np.ndarray
    meal: list
    item_id: np.ndarray
    food_id: np.ndarray
    grams: np.ndarray
    low: np.ndarray
    high: np.ndarray
    band: list = field(default_factory=list)

    def __len__(self):
        return len(self.food_id)


def ration_rows(*, menu_ids=None, school_ids=None, start: dt.date | None = None, end: dt.date | None = None
                ) -> Ration:
    """Ration rows (recipe grams, or the balanced portion where one is set) of the menus asked for: ONE query.

    Either ``menu_ids``, or ``school_ids`` (None: all) and the weeks starting from ``start`` to ``end``.
    """
    q = connection.ops.quote_name
    where, params = [], []
    if menu_ids is not None:
        ids = [int(i) for i in menu_ids] or [0]
        where.append(f"m.id IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    else:
        if school_ids is not None:
            ids = [int(i) for i in school_ids] or [0]
            where.append(f"m.school_id IN ({', '.join(['%s'] * len(ids))})")
            params += ids
        if start is not None:
            where.append("m.week_start >= %s")
            params.append(connection.ops.adapt_datefield_value(monday(start)))
        if end is not None:
            where.append("m.week_start <= %s")
            params.append(connection.ops.adapt_datefield_value(end))
    sql = f"""
        SELECT m.id, m.school_id, mi.weekday, mi.meal, mi.id, di.food_id, COALESCE(mp.grams, di.grams),
               di.min_grams, di.max_grams, m.band
        FROM {q('kitchen_menuitem')} mi
        JOIN {q('kitchen_menu')} m ON m.id = mi.menu_id
        JOIN {q('kitchen_dishingredient')} di ON di.dish_id = mi.dish_id AND di.band = m.band
        LEFT JOIN {q('kitchen_menuportion')} mp ON mp.item_id = mi.id AND mp.food_id = di.food_id
        WHERE {' AND '.join(where) or '1=1'}
        ORDER BY m.id, mi.weekday, mi.id, di.id
    """
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    if not rows:
        e = np.empty(0)
        return Ration(e.astype(np.int64), e.astype(np.int64), e.astype(np.int64), [], e.astype(np.int64),
                      e.astype(np.int64), e, e, e, [])
    cols = list(zip(*rows, strict=True))

    def floats(values):
        return np.array([np.nan if v is None else float(v) for v in values])

    return Ration(np.array(cols[0], dtype=np.int64), np.array(cols[1], dtype=np.int64),
                  np.array(cols[2], dtype=np.int64), list(cols[3]), np.array(cols[4], dtype=np.int64),
                  np.array(cols[5], dtype=np.int64), floats(cols[6]), floats(cols[7]), floats(cols[8]),
                  list(cols[9]))


@dataclass
class FoodTable:
    """Composition, origin and inedible share of foods, indexed by food id."""

    ids: np.ndarray
    composition: np.ndarray  # (n, k) nutrition.COLUMNS
    animal: np.ndarray
    inedible: np.ndarray  # % of the bought weight; 0 where the catalogue does not know it
    names: dict
    inedible_known: np.ndarray | None = None  # False where the food's inedible share is blank

    def index(self, food_ids) -> np.ndarray:
        return np.searchsorted(self.ids, food_ids)


def food_table(food_ids) -> FoodTable:
    rows = list(Food.objects.filter(id__in=set(int(i) for i in food_ids)).order_by("id").values_list(
        "id", "name", "energy_kcal", "protein_g", "lipid_g", "glucid_g", "fibre_g", "calcium_mg", "iron_mg",
        "retinol_ug", "beta_carotene_ug", "vitamin_b1_mg", "vitamin_c_mg", "animal", "inedible_pct"))
    if not rows:
        return FoodTable(np.empty(0, np.int64), np.empty((0, len(nutrition.COLUMNS))), np.empty(0, bool),
                         np.empty(0), {}, np.empty(0, bool))
    raw = np.array([[np.nan if v is None else float(v) for v in r[2:13]] for r in rows])
    vit_a = nutrition.vitamin_a_re(raw[:, 7], raw[:, 8])
    comp = np.column_stack([raw[:, :7], vit_a, raw[:, 9], raw[:, 10]])
    known = np.array([r[14] is not None for r in rows], bool)
    return FoodTable(np.array([r[0] for r in rows], np.int64), comp, np.array([r[13] for r in rows], bool),
                     np.array([float(r[14] or 0) for r in rows]), {r[0]: r[1] for r in rows}, known)


def prices(school_ids, food_ids) -> dict[tuple[int, int], Decimal]:
    return {(s, f): p for s, f, p in FoodPrice.objects.filter(school_id__in=set(school_ids), food_id__in=set(food_ids))
            .values_list("school_id", "food_id", "price_per_kg")}


def price_array(ration_school, ration_food, price_map) -> np.ndarray:
    return np.array([float(price_map.get((int(s), int(f)), 0)) for s, f in zip(ration_school, ration_food,
                                                                                strict=True)])


# --- analysis ---------------------------------------------------------------------------------------------


@dataclass
class DayResult:
    menu_id: int
    band: str
    day: dt.date
    totals: dict
    shares: tuple
    animal_protein_pct: float
    animal_lipid_pct: float
    cost: Decimal
    budget: Decimal | None
    checks: dict
    passed: bool
    norm: nutrition.Norm | None
    meals: list = field(default_factory=list)  # MealShare, in meal order

    @property
    def meal_warnings(self) -> list:
        return [m for m in self.meals if m.ok is False]


def analyse(ration: Ration, *, menus: dict[int, Menu] | None = None, on: dt.date | None = None,
            money: dict[int, Decimal] | None = None) -> list[DayResult]:
    """Analyse every (menu, weekday) of ``ration``: one analysis call over all rows.

    Norms are read once per band (nationwide rows in force on ``on``); ``money`` maps school id -> food money.
    """
    if not len(ration):
        return []
    table = food_table(ration.food_id)
    idx = table.index(ration.food_id)
    keys = ration.menu_id * 8 + ration.weekday
    uniq, groups = np.unique(keys, return_inverse=True)
    group_band = {}
    for g, band in zip(groups, ration.band, strict=True):
        group_band.setdefault(int(g), band)
    on = on or clock.today()
    norms = {b: norm_for(b, on=on) for b in set(ration.band)}
    meal_norms = {b: meal_norm_for(b, on=on) for b in set(ration.band)}
    norm_arr = np.array([(norms[group_band[g]] or nutrition.Norm((0, 1e9), (0, 100), (0, 100), (0, 100)))
                         .as_array() for g in range(len(uniq))])
    group_school = np.zeros(len(uniq), np.int64)
    group_school[groups] = ration.school_id
    money = money or {}
    budget = np.array([float(money.get(int(s), 0) or 0) or np.inf for s in group_school])
    price_map = prices(set(ration.school_id.tolist()), set(ration.food_id.tolist()))
    result = nutrition.analyse(groups=groups, grams=np.nan_to_num(ration.grams), composition=table.composition[idx],
                               animal=table.animal[idx], inedible_pct=table.inedible[idx],
                               price_per_kg=price_array(ration.school_id, ration.food_id, price_map),
                               norms=norm_arr, budget=budget, n_groups=len(uniq))
    # Energy per (day, meal): one more grouped sum over the same rows.
    meal_order = [m.value for m in Meal]
    meal_idx = np.array([meal_order.index(m) for m in ration.meal], np.int64)
    row_energy = nutrition.row_nutrients(np.nan_to_num(ration.grams), table.composition[idx])[:, nutrition.ENERGY]
    meal_energy = nutrition.group_sums(groups * len(meal_order) + meal_idx, row_energy,
                                       len(uniq) * len(meal_order)).reshape(len(uniq), len(meal_order))
    served = nutrition.group_sums(groups * len(meal_order) + meal_idx, np.ones(len(groups)),
                                  len(uniq) * len(meal_order)).reshape(len(uniq), len(meal_order)) > 0
    out = []
    passed = result.passed  # computed once: the property reduces over every group
    for g, key in enumerate(uniq):
        menu_id, weekday = divmod(int(key), 8)
        energy_by_meal = {meal_order[i]: float(meal_energy[g, i]) for i in range(len(meal_order)) if served[g, i]}
        menu = (menus or {}).get(menu_id)
        out.append(DayResult(
            menu_id=menu_id, band=group_band[g], day=menu.day_date(weekday) if menu else None,
            totals=dict(zip(nutrition.COLUMNS, result.totals[g].tolist(), strict=True)),
            shares=tuple(result.shares[g].tolist()), animal_protein_pct=float(result.animal_protein_pct[g]),
            animal_lipid_pct=float(result.animal_lipid_pct[g]),
            cost=Decimal(result.cost[g]).quantize(Decimal(1), ROUND_HALF_UP),
            budget=Decimal(budget[g]) if np.isfinite(budget[g]) else None,
            checks=dict(zip(NORM_KEYS, result.checks[g].tolist(), strict=True)), passed=bool(passed[g]),
            norm=norms[group_band[g]],
            meals=meal_shares(energy_by_meal, meal_norms[group_band[g]], band=group_band[g])))
    return out


def analyse_menu(menu: Menu) -> list[DayResult]:
    money = food_money(school=menu.school_id and menu.school, on=menu.week_start)
    return analyse(ration_rows(menu_ids=[menu.pk]), menus={menu.pk: menu}, on=menu.week_start,
                   money={menu.school_id: money} if money is not None else None)


# --- market list ----------------------------------------------------------------------------------------


@dataclass
class MarketLine:
    food_id: int
    food: str
    supplier: str
    net_kg: float
    buy_kg: float
    price_per_kg: Decimal
    cost: Decimal
    dry: bool
    inedible_unknown: bool = False  # bought as the net weight: the catalogue has no inedible share for it


@dataclass
class MarketList:
    day: dt.date
    counts: dict  # norm band -> children
    forecast: bool
    lines: list
    by_supplier: dict
    total: Decimal


def children_by_norm_band(group_counts: dict[str, int]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for band, n in group_counts.items():
        norm = GROUP_BAND_TO_NORM.get(band)
        if norm is not None:
            out[norm] += n
    return dict(out)


def meal_count_for(school, day: dt.date) -> tuple[dict[str, int], bool]:
    """Children eating by norm band: the attendance meal count after the kitchen's cut-off, the forecast
    before it (attendance.selectors)."""
    from mamnon.attendance import selectors as att

    if att.now() >= att.kitchen_cutoff(school_unit=school.unit, day=day):
        return children_by_norm_band(att.meal_counts(school=school, day=day)), False
    forecast = dict(att.meal_forecast(school=school, start=day, days=1))
    return children_by_norm_band(forecast.get(day, {})), True


def market_list(*, school, day: dt.date, counts: dict[str, int] | None = None) -> MarketList:
    """Kilograms to buy per food for a day: children x net grams / (1 - inedible share), by supplier."""
    forecast = False
    if counts is None:
        counts, forecast = meal_count_for(school, day)
    menus = {m.pk: m for m in Menu.objects.filter(school=school, week_start=monday(day))}
    ration = ration_rows(menu_ids=list(menus))
    keep = ration.weekday == day.weekday()
    lines: list[MarketLine] = []
    total = Decimal(0)
    by_supplier: dict[str, list] = defaultdict(list)
    if keep.any():
        children = np.array([counts.get(b, 0) for b in ration.band], float)[keep]
        food_ids = ration.food_id[keep]
        table = food_table(food_ids)
        idx = table.index(food_ids)
        net_g = np.nan_to_num(ration.grams[keep]) * children
        uniq, inv = np.unique(food_ids, return_inverse=True)
        net = np.bincount(inv, weights=net_g)
        buy = np.bincount(inv, weights=nutrition.purchase_grams(net_g, table.inedible[idx]))
        price_rows = {f: (p, s) for f, p, s in FoodPrice.objects.filter(school=school, food_id__in=uniq.tolist())
                      .values_list("food_id", "price_per_kg", "supplier__name")}
        dry = dict(Food.objects.filter(id__in=uniq.tolist()).values_list("id", "dry"))
        known = dict(zip(table.ids.tolist(), table.inedible_known.tolist(), strict=True))
        for j, fid in enumerate(uniq.tolist()):
            price, supplier = price_rows.get(fid, (Decimal(0), None))
            kg = round(buy[j] / 1000, 3)
            cost = (Decimal(str(kg)) * price).quantize(Decimal(1), ROUND_HALF_UP)
            line = MarketLine(fid, table.names[fid], supplier or "", round(net[j] / 1000, 3), kg, price, cost,
                              dry.get(fid, False), not known[fid])
            lines.append(line)
            by_supplier[line.supplier].append(line)
            total += cost
    return MarketList(day, counts, forecast, sorted(lines, key=lambda x: x.food), dict(sorted(by_supplier.items())),
                      total)


# --- store, contracts -------------------------------------------------------------------------------------


def store_on_hand(*, school) -> list[tuple[str, Decimal]]:
    rows = (StoreMove.objects.filter(school=school).values("food_id", "food__name")
            .annotate(inn=Sum("quantity_kg", filter=Q(kind=StoreMove.Kind.IN)),
                      out=Sum("quantity_kg", filter=Q(kind=StoreMove.Kind.OUT))).order_by("food__name"))
    return [(r["food__name"], (r["inn"] or 0) - (r["out"] or 0)) for r in rows]


def expiring_contracts(*, school, today: dt.date):
    days = int(rule_number("kitchen.contract_reminder_days", on=today, unit=school.unit, default=Decimal(30)))
    return SupplierContract.objects.filter(school=school, valid_to__lte=today + dt.timedelta(days=days),
                                           valid_to__gte=today - dt.timedelta(days=days)).select_related("supplier")


# --- disclosure -----------------------------------------------------------------------------------------


def spent_on(*, school, day: dt.date) -> Decimal:
    return Purchase.objects.filter(school=school, date=day).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def carry_over(*, school, day: dt.date) -> Decimal:
    """Month-to-date balance of the published disclosures before ``day`` (received - spent)."""
    agg = Disclosure.objects.filter(school=school, date__gte=day.replace(day=1), date__lt=day,
                                    published_at__isnull=False).aggregate(r=Sum("received"), s=Sum("spent"))
    return (agg["r"] or Decimal(0)) - (agg["s"] or Decimal(0))


def menu_text(*, school, day: dt.date) -> str:
    items = (MenuItem.objects.filter(menu__school=school, menu__week_start=monday(day), weekday=day.weekday())
             .select_related("menu", "dish").order_by("menu__band", "meal"))
    lines = defaultdict(list)
    for it in items:
        lines[(it.menu.get_band_display(), it.get_meal_display())].append(it.dish.name)
    return "\n".join(f"{band} - {meal}: {', '.join(d)}" for (band, meal), d in lines.items())


def band_label(band: str) -> str:
    return NormBand(band).label if band in NormBand.values else band
