"""Writes of the indicators domain: the refresh engine, targets with their cascade, declared values.

The refresh computes, for each period, every registered family once for all schools (one set of SQL
aggregates per family), places each school once in the tree as it stood on the period's last day
(``OrgUnitVersion``; a school merged earlier counts under the school it was merged into), sums numerators
and denominators up to every unit with numpy, applies the units' approved declarations, and stores one
``IndicatorValue`` per (unit, indicator, period).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from mamnon.calc import indicators as calc
from mamnon.calc import periods as P
from mamnon.core import clock, scoping
from mamnon.indicators import periods, registry
from mamnon.indicators.models import DeclaredValue, Indicator, IndicatorValue, RefreshMark, Target
from mamnon.org.models import OrgUnit, OrgUnitVersion

# --- placing schools in the tree ------------------------------------------------------------------------------


def school_placement(day: dt.date, *, under: str | None = None) -> tuple[list[int], list[str]]:
    """Each school once, with the path it had on ``day`` (two queries).

    The current path unless a version says otherwise on that day; a school merged before ``day`` is placed
    below the school it was merged into, so its records count once, under its successor's units.
    """
    units = registry.shared(("school_units",), lambda: list(
        OrgUnit.objects.filter(level__is_school=True).values_list("id", "path", "merged_into_id", "valid_to")))
    dated = dict(
        OrgUnitVersion.objects.filter(unit__level__is_school=True, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .values_list("unit_id", "path")
    )
    path_of = {uid: dated.get(uid, path) for uid, path, _m, _v in units}
    gone = {uid: merged_into for uid, _p, merged_into, valid_to in units
            if merged_into and valid_to is not None and valid_to < day and uid not in dated}
    for uid in gone:
        target, seen = gone[uid], {uid}
        while target in gone and target not in seen:  # merged into a school merged later in turn
            seen.add(target)
            target = gone[target]
        if target in path_of and target not in gone:
            path_of[uid] = f"{path_of[target]}{uid}/"
    ids = [uid for uid in path_of if under is None or path_of[uid].startswith(under)]
    return ids, [path_of[uid] for uid in ids]


# --- the refresh ----------------------------------------------------------------------------------------------


def stock_day(window, today: dt.date | None = None) -> dt.date | None:
    """The day a stock family counts on: the window's end, or today while it runs; None before it begins."""
    today = today or clock.today()
    return None if window.start > today else min(window.end, today)


def stock_days(school_year: str) -> tuple[dt.date, ...]:
    """The distinct stock days of a school year's periods, in order (what a stock family is asked about in a
    refresh of the year: a family that reads them all at once shares one pass between them)."""
    return registry.shared(("stock_days", school_year, clock.today()), lambda: tuple(sorted(
        {d for d in (stock_day(w) for w in periods.windows_of(school_year)) if d is not None})))


def year_span(school_year: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a school year's periods (its own dates when its row has them)."""
    def span():
        windows = periods.windows_of(school_year)
        return min(w.start for w in windows), max(w.end for w in windows)
    return registry.shared(("year_span", school_year), span)


def _pieces(school_year: str, memo: dict) -> list:
    """The elementary parts of a school year: between consecutive start/end days of its periods."""
    key = ("pieces", school_year)
    if key not in memo:
        windows = periods.windows_of(school_year)
        cuts = sorted({w.start for w in windows} | {w.end + dt.timedelta(days=1) for w in windows})
        memo[key] = [registry.Window(code=f"{a:%Y%m%d}-{b:%Y%m%d}", kind="part", start=a,
                                     end=b - dt.timedelta(days=1), school_year=school_year)
                     for a, b in zip(cuts, cuts[1:], strict=False)]
    return memo[key]


def _sum_values(parts: list[registry.SchoolValues]) -> registry.SchoolValues:
    parts = [p for p in parts if len(p.school_ids)]
    if not parts:
        return registry.SchoolValues(np.empty(0), np.empty(0), np.empty(0))
    ids = np.concatenate([p.school_ids for p in parts])
    uniq, inv = np.unique(ids, return_inverse=True)
    num = np.bincount(inv, weights=np.concatenate([p.numerator for p in parts]), minlength=len(uniq))
    den = np.bincount(inv, weights=np.concatenate([p.denominator for p in parts]), minlength=len(uniq))
    return registry.SchoolValues(uniq, num, den)


def _additive(func, codes, window, school_ids, memo: dict) -> dict[str, registry.SchoolValues] | None:
    """An additive family over a window of its school year, as the sum of the year's parts (each computed once)."""
    if not window.school_year:
        return None
    pieces = _pieces(window.school_year, memo)
    inside = [p for p in pieces if window.start <= p.start and p.end <= window.end]
    if not inside or inside[0].start != window.start or inside[-1].end != window.end:
        return None
    results = []
    for piece in inside:
        key = (func, piece.code)
        if key not in memo:
            memo[key] = func(piece, school_ids)
        results.append(memo[key])
    return {code: _sum_values([r[code] for r in results if code in r]) for code in codes}


def _family_results(window, school_ids, memo: dict | None = None) -> dict[str, registry.SchoolValues]:
    out: dict[str, registry.SchoolValues] = {}
    for func, codes in registry.families().items():
        summed = None
        if getattr(func, "indicator_additive", False) and memo is not None:
            summed = _additive(func, codes, window, school_ids, memo)
        if summed is not None:
            result = summed
        elif getattr(func, "indicator_key", None) is not None and memo is not None:
            key = (func, "key", func.indicator_key(window))
            if key not in memo:
                memo[key] = func(window, school_ids)
            result = memo[key]
        elif getattr(func, "indicator_yearly", False) and memo is not None and window.school_year:
            key = (func, window.school_year)
            if key not in memo:
                memo[key] = func(window, school_ids)
            result = memo[key]
        elif getattr(func, "indicator_stock", False) and memo is not None:
            key = (func, window.school_year, stock_day(window))
            if key not in memo:
                memo[key] = func(window, school_ids)
            result = memo[key]
        else:
            result = func(window, school_ids)
        for code in codes:
            if code in result:
                out[code] = result[code]
    return out


def compute_period(window, indicators: dict[str, Indicator], *, under: str | None = None,
                   declarations: list | None = None, memo: dict | None = None) -> dict[str, tuple]:
    """Values of every indicator for every unit in one period: ``{code: (units, num, den, schools, source)}``.

    ``declarations``: approved ``(unit_id, path, is_school, code, numerator, denominator)`` rows of the period.
    """
    if memo is None:
        return _compute_period(window, indicators, under=under, declarations=declarations, memo=None)
    with registry.sharing(memo.setdefault("shared", {})):  # registry.shared: read once per refresh
        return _compute_period(window, indicators, under=under, declarations=declarations, memo=memo)


def _tree(day: dt.date, under: str | None) -> calc.Tree:
    """The schools placed in the tree on ``day``; one tree per refresh while the placement stays the same."""
    ids, paths = school_placement(day, under=under)
    return registry.shared(("tree", under, tuple(ids), tuple(paths)), lambda: calc.tree_from_paths(ids, paths))


def _compute_period(window, indicators: dict[str, Indicator], *, under: str | None, declarations: list | None,
                    memo: dict | None) -> dict[str, tuple]:
    tree = _tree(window.end, under)
    unit_index = registry.shared(("unit_index", id(tree)), lambda: {int(u): i for i, u in enumerate(tree.units)})
    computed = _family_results(window, None if under is None else list(tree.schools), memo)
    by_code: dict[str, list] = {}
    for row in declarations or []:
        by_code.setdefault(row[3], []).append(row)
    out = {}
    for code in indicators:
        sv = computed.get(code)
        decl = by_code.get(code, [])
        if sv is None and not decl and registry.source_of(code) is None:
            continue
        if sv is None:
            sv = registry.SchoolValues(np.empty(0), np.empty(0), np.empty(0))
        school_decl = {r[0]: r for r in decl if r[2]}
        ids_arr, num, den = sv.school_ids, sv.numerator, sv.denominator
        if school_decl:
            keep = ~np.isin(ids_arr, list(school_decl))
            extra = list(school_decl.values())
            ids_arr = np.concatenate([ids_arr[keep], np.array([r[0] for r in extra], dtype=np.int64)])
            num = np.concatenate([num[keep], np.array([r[4] for r in extra], dtype=np.float64)])
            den = np.concatenate([den[keep], np.array([r[5] if r[5] is not None else 1 for r in extra],
                                                      dtype=np.float64)])
        rolled = calc.rollup(tree, ids_arr, num, den)
        if school_decl:
            declared_mark = calc.rollup(tree, list(school_decl), np.ones(len(school_decl)),
                                        np.zeros(len(school_decl)))
            touched = declared_mark.numerator > 0
        else:
            touched = np.zeros(len(tree.units), dtype=bool)
        # A declaration above the schools stands for the unit's whole subtree: deepest first, replace the
        # unit's sum by its declaration and pass the difference on to every unit above it.
        for uid, path, _school, _c, dnum, dden in sorted((r for r in decl if not r[2]), key=lambda r: -len(r[1])):
            if uid not in unit_index:
                continue
            i = unit_index[uid]
            d_num = dnum - rolled.numerator[i]
            d_den = (dden if dden is not None else 1) - rolled.denominator[i]
            anc = [unit_index[int(a)] for a in path.split("/") if a and int(a) in unit_index]
            rolled.numerator[anc] += d_num
            rolled.denominator[anc] += d_den
            touched[anc] = True
        if registry.source_of(code) is None:
            keep = touched
            source = np.full(len(tree.units), IndicatorValue.Source.DECLARED, dtype=object)
        else:
            keep = np.ones(len(tree.units), dtype=bool)
            source = np.where(touched, IndicatorValue.Source.MIXED, IndicatorValue.Source.COMPUTED).astype(object)
        out[code] = (tree.units[keep], rolled.numerator[keep], rolled.denominator[keep], rolled.schools[keep],
                     source[keep])
    return out


def _approved_declarations(period_codes: Iterable[str]) -> dict[str, list]:
    approved = DeclaredValue.objects.filter(status=DeclaredValue.Status.APPROVED, period__in=list(period_codes))
    rows = approved.values_list(
        "period", "unit_id", "unit__path", "unit__level__is_school", "indicator__code", "numerator", "denominator")
    out: dict[str, list] = {}
    for period, uid, path, is_school, code, num, den in rows:
        out.setdefault(period, []).append((uid, path, is_school, code, float(num),
                                           None if den is None else float(den)))
    return out


def values_refresh(*, school_year: str | None = None, period: str | None = None, unit: OrgUnit | None = None,
                   progress: Callable[[int, int, str], None] | None = None) -> int:
    """Recompute and store the values of a school year (all its periods) or of one period.

    ``unit``: only that unit's subtree (its ancestors keep their values and the year is marked dirty).
    Returns the number of values stored.
    """
    if period:
        codes = [period]
        year = P.parse_period(period).school_year
    else:
        year = school_year or current_school_year()
        codes = periods.periods_of(year) if P.parse_period(year).kind == P.SCHOOL_YEAR else [year]
    dates = periods._year_dates(year) if year else {}
    windows = [periods.window(c, dates=dates) for c in codes]
    indicators = {i.code: i for i in Indicator.objects.all()}
    declarations = _approved_declarations(codes)
    started = clock.now()
    stored = 0
    subtree = None if unit is None else np.array(OrgUnit.objects.filter(path__startswith=unit.path)
                                                 .values_list("id", flat=True), dtype=np.int64)
    memo: dict = {}  # stock families: one call per distinct (school year, day)
    for n, window in enumerate(windows):
        result = compute_period(window, indicators, under=unit.path if unit else None,
                                declarations=declarations.get(window.code, []), memo=memo)
        cols = _value_columns(result, indicators, subtree)
        with transaction.atomic():
            _store(window.code, cols, started, under=unit.path if unit is not None else None)
        stored += len(cols["unit"])
        if progress:
            progress(n + 1, len(windows), window.code)
    if year:
        if unit is None and period is None:
            RefreshMark.objects.update_or_create(school_year=year,
                                                 defaults={"dirty_since": None, "refreshed_at": started})
        elif unit is not None:
            mark_dirty(year, force=True)  # the units above the subtree still hold the old sums
    return stored


_SOURCES = (IndicatorValue.Source.COMPUTED, IndicatorValue.Source.DECLARED, IndicatorValue.Source.MIXED)


def _value_columns(result: dict[str, tuple], indicators: dict[str, Indicator], subtree) -> dict[str, np.ndarray]:
    """The values of one period to store, as aligned columns: unit, indicator, numerator, denominator, value
    (NaN: none), source (index into ``_SOURCES``), schools.

    A computed 0/0 (no records under the unit in the period: a month to come, a unit without schools) is no
    value: it is not stored, and pages show it as missing, as they would 0/0.
    """
    parts = []
    for code, (units, num, den, schools, source) in result.items():
        ind = indicators[code]
        src = np.zeros(len(units), dtype=np.int16)
        for i, name in enumerate(_SOURCES[1:], 1):
            src[source == name] = i
        keep = (num != 0) | (den != 0) | (src != 0)
        if subtree is not None:
            keep &= np.isin(units, subtree)
        num, den = np.asarray(num, dtype=np.float64)[keep], np.asarray(den, dtype=np.float64)[keep]
        parts.append((np.asarray(units, dtype=np.int64)[keep], np.full(int(keep.sum()), ind.pk, dtype=np.int64),
                      num, den, calc.values(ind.measure, num, den, float(ind.factor)), src[keep],
                      np.asarray(schools, dtype=np.int64)[keep]))
    names = ("unit", "indicator", "numerator", "denominator", "value", "source", "schools")
    if not parts:
        return {name: np.empty(0) for name in names}
    return {name: np.concatenate([p[i] for p in parts]) for i, name in enumerate(names)}


_VALUE_COLUMNS = ["unit_id", "indicator_id", "period", "numerator", "denominator", "value", "source", "schools",
                  "computed_at"]

# PostgreSQL's binary COPY of the columns: per row the field count, then each field's length and big-endian value.
_COPY_ROW = np.dtype([("n", ">i2"), ("l_unit", ">i4"), ("unit", ">i8"), ("l_ind", ">i4"), ("ind", ">i8"),
                      ("l_num", ">i4"), ("num", ">f8"), ("l_den", ">i4"), ("den", ">f8"), ("l_val", ">i4"),
                      ("val", ">f8"), ("l_src", ">i4"), ("src", ">i2"), ("l_sch", ">i4"), ("sch", ">i4")])


def _copy_payload(cols: dict[str, np.ndarray]) -> bytes:
    rows = np.zeros(len(cols["unit"]), dtype=_COPY_ROW)
    rows["n"] = 7
    for field, size in (("l_unit", 8), ("l_ind", 8), ("l_num", 8), ("l_den", 8), ("l_val", 8), ("l_src", 2),
                        ("l_sch", 4)):
        rows[field] = size
    rows["unit"], rows["ind"], rows["num"], rows["den"] = cols["unit"], cols["indicator"], cols["numerator"], \
        cols["denominator"]
    rows["val"], rows["src"], rows["sch"] = cols["value"], cols["source"], cols["schools"]
    header = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8
    return header + rows.tobytes() + b"\xff\xff"


def _store(period: str, cols: dict[str, np.ndarray], computed_at, *, under: str | None = None) -> None:
    """Make the stored values of ``period`` (of the units under ``under``, or all) exactly ``cols``.

    PostgreSQL: the columns are copied (binary COPY, built by numpy) into a temporary table and merged: values
    that disappeared are deleted, changed ones updated, new ones inserted; a value that came out the same is
    left as it was (its ``computed_at`` is when it last changed; the year's ``RefreshMark.refreshed_at`` says
    when all were last confirmed). A nightly refresh of a whole country then writes only what changed.
    Elsewhere: delete and insert.
    """
    from mamnon.children.demo import bulk_copy  # COPY on PostgreSQL, batched inserts elsewhere

    if connection.vendor != "postgresql":
        stale = IndicatorValue.objects.filter(period=period)
        if under is not None:
            stale = stale.filter(unit__path__startswith=under)
        stale.delete()
        rows = zip(cols["unit"].tolist(), cols["indicator"].tolist(), cols["numerator"].tolist(),
                   cols["denominator"].tolist(), cols["value"].tolist(), cols["source"].tolist(),
                   cols["schools"].tolist(), strict=True)
        bulk_copy(IndicatorValue, _VALUE_COLUMNS, ((u, i, period, a, b, None if v != v else v, _SOURCES[src], s,
                                                    computed_at) for u, i, a, b, v, src, s in rows))
        return
    table = IndicatorValue._meta.db_table
    cols_sql = ", ".join(_VALUE_COLUMNS)
    source = "(CASE n.source " + " ".join(f"WHEN {i} THEN '{name}'" for i, name in enumerate(_SOURCES)) + " END)"
    value = "NULLIF(n.value, 'NaN'::float8)"
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE _iv_new (unit_id bigint, indicator_id bigint, numerator float8, "
                    "denominator float8, value float8, source smallint, schools integer) ON COMMIT DROP")
        with cur.copy("COPY _iv_new FROM STDIN (FORMAT binary)") as copy:
            copy.write(_copy_payload(cols))
        cur.execute("CREATE UNIQUE INDEX ON _iv_new (unit_id, indicator_id)")
        cur.execute("ANALYZE _iv_new")
        units = OrgUnit._meta.db_table
        scope = "" if under is None else f"AND v.unit_id IN (SELECT id FROM {units} WHERE path LIKE %s)"
        params = [period] + ([] if under is None else [under + "%"])
        insert = f"""
            INSERT INTO {table} ({cols_sql})
            SELECT n.unit_id, n.indicator_id, %s, n.numerator, n.denominator, {value}, {source}, n.schools, %s
            FROM _iv_new n"""
        cur.execute(f"SELECT EXISTS (SELECT 1 FROM {table} v WHERE v.period = %s {scope})", params)
        if not cur.fetchone()[0]:  # the period's first values (the demo, a new month): nothing to merge with
            cur.execute(insert, [period, computed_at])
            cur.execute("DROP TABLE _iv_new")
            return
        cur.execute(f"""
            DELETE FROM {table} v WHERE v.period = %s {scope}
              AND NOT EXISTS (SELECT 1 FROM _iv_new n WHERE n.unit_id = v.unit_id AND n.indicator_id = v.indicator_id)
        """, params)
        cur.execute(f"""
            UPDATE {table} v SET numerator = n.numerator, denominator = n.denominator, value = {value},
                   source = {source}, schools = n.schools, computed_at = %s
            FROM _iv_new n
            WHERE v.period = %s AND n.unit_id = v.unit_id AND n.indicator_id = v.indicator_id
              AND (v.numerator, v.denominator, v.value, v.source, v.schools)
                  IS DISTINCT FROM (n.numerator, n.denominator, {value}, {source}, n.schools)
        """, [computed_at, period])
        cur.execute(insert + f"""
            WHERE NOT EXISTS (SELECT 1 FROM {table} v WHERE v.period = %s AND v.unit_id = n.unit_id
                                                        AND v.indicator_id = n.indicator_id)
        """, [period, computed_at, period])
        cur.execute("DROP TABLE _iv_new")


def current_school_year() -> str:
    from mamnon.org.models import SchoolYear

    code = SchoolYear.objects.filter(is_current=True).values_list("code", flat=True).first()
    return code or P.school_year_code(clock.today())


_LAST_MARK: dict[str, float] = {}


def mark_dirty(school_year: str | None = None, *, force: bool = False) -> None:
    """Note that a school year's source data changed (one UPDATE, at most once a minute per process)."""
    year = school_year or current_school_year()
    now = time.monotonic()
    if not force and now - _LAST_MARK.get(year, -1e9) < 60:
        return
    _LAST_MARK[year] = now
    if not RefreshMark.objects.filter(school_year=year, dirty_since__isnull=True).update(dirty_since=clock.now()):
        RefreshMark.objects.get_or_create(school_year=year, defaults={"dirty_since": clock.now()})


def dirty_years() -> list[str]:
    return list(RefreshMark.objects.filter(dirty_since__isnull=False).values_list("school_year", flat=True))


# --- targets and the cascade ------------------------------------------------------------------------------------


def _check_period(period: str, field: str = "period") -> P.Period:
    try:
        p = P.parse_period(period)
    except P.PeriodError as exc:
        raise ValidationError({field: _("%(value)s is not a period (e.g. 2023-2024, 2023-2024/R1, 2021-2025).")
                               % {"value": period}}) from exc
    return p


@transaction.atomic
def target_set(*, actor, unit: OrgUnit, indicator: Indicator, period: str, comparison: str, value=None,
               baseline_period: str = "", note: str = "", source: Target | None = None) -> Target:
    """Create or change a unit's target for an indicator and period (the actor must be able to change it)."""
    if not can_set_targets(actor, unit):
        raise PermissionDenied
    p = _check_period(period)
    if p.kind not in (P.SCHOOL_YEAR, P.MULTI_YEAR):
        raise ValidationError({"period": _("A target is set for a school year or a multi-year plan.")})
    if baseline_period:
        _check_period(baseline_period, "baseline_period")
    if comparison == calc.REDUCE_PER_YEAR and p.kind != P.MULTI_YEAR:
        raise ValidationError({"comparison": _("A yearly reduction needs a multi-year plan (e.g. 2021-2025).")})
    if value is not None and value < 0:
        raise ValidationError({"value": _("The value cannot be negative.")})
    target = Target.objects.filter(unit=unit, indicator=indicator, period=period).first() or Target(
        unit=unit, indicator=indicator, period=period, created_by=actor)
    target.comparison = comparison
    target.value = value if calc.needs_value(comparison) else None
    target.baseline_period = baseline_period if calc.needs_baseline(comparison) else ""
    target.note = note
    if source is not None:
        target.source = source
    target.full_clean(exclude=["unit", "indicator", "created_by", "source"])
    target._history_user = actor
    target.save()
    return target


@transaction.atomic
def target_delete(*, actor, target: Target) -> None:
    if not can_set_targets(actor, target.unit):
        raise PermissionDenied
    target.delete()


def can_set_targets(user, unit: OrgUnit) -> bool:
    return scoping.restrict(OrgUnit.objects.filter(pk=unit.pk), user, scoping.CHANGE).exists() and (
        scoping.is_admin(user) or any(
            g.role in Target.scope_change_roles and unit.path.startswith(g.path) for g in scoping.grants(user)))


@transaction.atomic
def targets_adopt(*, actor, unit: OrgUnit, period: str) -> list[Target]:
    """Take the targets offered by the units above (the nearest one for each indicator) as the unit's own."""
    from mamnon.indicators.selectors import targets_offered

    created = []
    for offered in targets_offered(unit, period):
        created.append(target_set(actor=actor, unit=unit, indicator=offered.indicator, period=offered.period,
                                  comparison=offered.comparison, value=offered.value,
                                  baseline_period=offered.baseline_period, source=offered))
    return created


# --- declared values --------------------------------------------------------------------------------------------


@transaction.atomic
def declared_value_submit(*, actor, unit: OrgUnit, indicator: Indicator, period: str, numerator, denominator=None,
                          evidence=None, note: str = "") -> DeclaredValue:
    """A unit declares its figure for a period (replacing an earlier one not yet approved)."""
    if not can_set_targets(actor, unit):
        raise PermissionDenied
    _check_period(period)
    if numerator is None or numerator < 0:
        raise ValidationError({"numerator": _("Enter a number of 0 or more.")})
    if indicator.measure != calc.COUNT:
        if denominator is None:
            raise ValidationError({"denominator": _("This indicator needs a denominator.")})
        if denominator <= 0:
            raise ValidationError({"denominator": _("The denominator must be more than 0.")})
        if indicator.measure == calc.RATIO and numerator > denominator:
            raise ValidationError({"numerator": _("The numerator cannot exceed the denominator.")})
    existing = DeclaredValue.objects.select_for_update().filter(unit=unit, indicator=indicator, period=period).first()
    if existing and existing.status == DeclaredValue.Status.APPROVED:
        raise ValidationError({"period": _("This figure was already approved; ask the unit above to return it.")})
    dv = existing or DeclaredValue(unit=unit, indicator=indicator, period=period)
    dv.numerator, dv.denominator, dv.note = numerator, denominator if indicator.measure != calc.COUNT else None, note
    dv.status, dv.declared_by, dv.reviewed_by, dv.reviewed_at, dv.review_note = (
        DeclaredValue.Status.SUBMITTED, actor, None, None, "")
    if evidence is not None:
        dv.evidence = evidence
    dv._history_user = actor
    dv.save()
    return dv


def can_review(user, unit: OrgUnit) -> bool:
    """The unit above reviews: an officer of a unit strictly above the declaring unit."""
    return scoping.can_review_declaration(user, unit)


@transaction.atomic
def declared_value_review(*, actor, declared: DeclaredValue, approve: bool, note: str = "") -> DeclaredValue:
    if not can_review(actor, declared.unit):
        raise PermissionDenied
    if not approve and not note.strip():
        raise ValidationError({"review_note": _("Say why the figure is returned.")})
    declared.status = DeclaredValue.Status.APPROVED if approve else DeclaredValue.Status.REJECTED
    declared.reviewed_by, declared.reviewed_at, declared.review_note = actor, clock.now(), note
    declared._history_user = actor
    declared.save()
    year = P.parse_period(declared.period).school_year
    if year:
        mark_dirty(year, force=True)
    return declared
