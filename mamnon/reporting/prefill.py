"""Values a report is pre-filled with: from the indicator registry and from the records (children, groups).

Each source answers for many schools at once (one aggregate grouped by school); the unit's value is the sum
over the schools of its subtree (``sum_over_tree``: numerators and denominators, never percentages). When
the indicators engine stores rolled-up values, ``sum_over_tree`` is the one function to swap for a read of
those. A field whose indicator has no registered source yet stays typed (``prefilled`` has no entry).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from mamnon.calc import reporting as calc
from mamnon.calc.periods import Period, parse_period, school_year_code
from mamnon.children.ethnicity import KINH
from mamnon.children.models import CRECHE_BANDS, AgeBand, Enrolment, Group
from mamnon.core import clock
from mamnon.indicators import registry
from mamnon.org.models import School

# --- records queries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordsQuery:
    code: str
    label: str
    func: Callable[[Sequence[int], Period, dt.date], dict[int, int]]


RECORDS_QUERIES: dict[str, RecordsQuery] = {}


def records_query(code: str, label):
    def wrap(func):
        RECORDS_QUERIES[code] = RecordsQuery(code, label, func)
        return func

    return wrap


def reference_day(period: Period, today: dt.date | None = None, form=None) -> dt.date:
    """The day records are counted on: the form's "data as at" day (01.ĐN-MN: 30/09), else the period's last
    day; never after today while the period runs."""
    today = today or clock.today()
    if form is not None and form.as_of_month and form.as_of_day:
        day = calc.due_date(calc.FIXED_DAY, period.start, period.end, months=form.as_of_month, day=form.as_of_day)
    else:
        day = period.end
    return min(day, max(today, period.start))


def _enrolled(school_ids, day: dt.date, extra: Q | None = None) -> dict[int, int]:
    qs = Enrolment.objects.filter(school_id__in=school_ids, start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day))
    if extra is not None:
        qs = qs.filter(extra)
    rows = qs.order_by().values("school_id").annotate(n=Count("child_id", distinct=True))
    return {r["school_id"]: r["n"] for r in rows}


def _groups(school_ids, period: Period, day: dt.date, extra: Q | None = None) -> dict[int, int]:
    year = period.school_year or school_year_code(day)
    qs = Group.objects.filter(school_id__in=school_ids, school_year__code=year, active=True)
    if extra is not None:
        qs = qs.filter(extra)
    rows = qs.order_by().values("school_id").annotate(n=Count("id"))
    return {r["school_id"]: r["n"] for r in rows}


def _enrolment_query(code, label, extra=None):
    records_query(code, label)(lambda ids, period, day: _enrolled(ids, day, extra))


def _group_query(code, label, extra=None):
    records_query(code, label)(lambda ids, period, day: _groups(ids, period, day, extra))


_enrolment_query("enrolled", _("Children enrolled"))
_enrolment_query("enrolled_girls", _("Girls enrolled"), Q(child__sex="F"))
_enrolment_query("enrolled_creche", _("Children in creche groups"), Q(group__age_band__in=list(CRECHE_BANDS)))
_enrolment_query("enrolled_k3", _("Children in 3-4 year classes"), Q(group__age_band=AgeBand.K3))
_enrolment_query("enrolled_k4", _("Children in 4-5 year classes"), Q(group__age_band=AgeBand.K4))
_enrolment_query("enrolled_k5", _("Children in 5-6 year classes"), Q(group__age_band=AgeBand.K5))
_enrolment_query("enrolled_mixed_kinder", _("Children in mixed-age classes"),
                 Q(group__age_band=AgeBand.MIXED_KINDER))
_enrolment_query("enrolled_full_day", _("Children in full-day groups"), Q(group__full_day=True))
_enrolment_query("enrolled_semi_boarding", _("Children eating lunch at school"), Q(group__semi_boarding=True))
_enrolment_query("enrolled_ethnic_minority", _("Ethnic-minority children"), ~Q(child__ethnicity=KINH))
_enrolment_query("enrolled_disabled", _("Children with a disability"),
                 Q(child__support__disability_type__gt=""))
_group_query("groups", _("Groups and classes"))
_group_query("groups_creche", _("Creche groups"), Q(age_band__in=list(CRECHE_BANDS)))
_group_query("groups_kinder", _("Kindergarten classes"), ~Q(age_band__in=list(CRECHE_BANDS)))
_group_query("groups_full_day", _("Full-day groups"), Q(full_day=True))
_group_query("groups_mixed", _("Mixed-age groups"), Q(age_band__in=[AgeBand.MIXED_CRECHE, AgeBand.MIXED_KINDER]))
records_query("schools", _("Schools"))(lambda ids, period, day: {int(i): 1 for i in ids})


def _staff_on(ids, period: Period, day: dt.date, code: str, part: str) -> dict[int, int]:
    """A staff count from the staff indicator family, as at the form's day (the family counts the staff who
    had joined by its window's stock day): one aggregate for all schools, the figure the dashboards show."""
    from mamnon.staff.indicators import qualification_family

    window = registry.Window(code=f"{period.code}@{day:%Y%m%d}", kind="day", start=min(period.start, day), end=day,
                             school_year=period.school_year)
    values = qualification_family(window, ids).get(code)
    if values is None:
        return {}
    column = values.numerator if part == "numerator" else values.denominator
    return {int(s): int(v) for s, v in zip(values.school_ids, column, strict=True)}


def _employees(ids, period: Period, day: dt.date) -> dict[int, int]:
    from mamnon.staff.indicators import MANAGER, TEACHER, people_on

    rows = people_on(day, ids).exclude(TEACHER | MANAGER).values("unit_id").annotate(n=Count("id"))
    return {r["unit_id"]: r["n"] for r in rows}


records_query("staff_managers", _("Managers (principal, vice-principals)"))(
    lambda ids, period, day: _staff_on(ids, period, day, "M_UNIV", "denominator"))
records_query("staff_teachers", _("Teachers"))(
    lambda ids, period, day: _staff_on(ids, period, day, "T_QUAL_STD", "denominator"))
records_query("staff_teachers_qualified", _("Teachers at or above the standard training level"))(
    lambda ids, period, day: _staff_on(ids, period, day, "T_QUAL_STD", "numerator"))
records_query("staff_employees", _("Other staff"))(_employees)


# --- summing over a unit's schools -------------------------------------------------------------------


def school_ids_below(unit) -> list[int]:
    return list(School.objects.filter(unit__path__startswith=unit.path).values_list("pk", flat=True))


def sum_over_tree(values: registry.SchoolValues, school_ids: Sequence[int]) -> tuple[float, float]:
    """Numerator and denominator of a unit: the sums over its schools (swap for stored roll-ups later)."""
    import numpy as np

    mask = np.isin(values.school_ids, np.asarray(list(school_ids), dtype=np.int64))
    return float(values.numerator[mask].sum()), float(values.denominator[mask].sum())


def window_of(period: Period) -> registry.Window:
    round_number = int(period.code[-1]) if period.kind == "round" else None
    return registry.Window(code=period.code, kind=period.kind, start=period.start, end=period.end,
                           school_year=period.school_year, round_number=round_number)


def _number(x: float):
    return int(round(x)) if abs(x - round(x)) < 1e-9 else round(x, 2)


def prefill_values(form, unit, period_code: str, *, today: dt.date | None = None) -> dict[str, object]:
    """{field code: value} for every field with a source that answers; one call per family or query."""
    fields = list(form.fields.all())
    if not any(f.source != "typed" for f in fields):
        return {}
    period = parse_period(period_code)
    school_ids = school_ids_below(unit)
    day = reference_day(period, today, form)
    out: dict[str, object] = {}
    family_cache: dict[object, dict] = {}
    for f in fields:
        if f.source == "records":
            query = RECORDS_QUERIES.get(f.records_query)
            if query is None:
                continue
            key = ("records", f.records_query)
            if key not in family_cache:
                family_cache[key] = query.func(school_ids, period, day) if school_ids else {}
            out[f.code] = sum(family_cache[key].get(s, 0) for s in school_ids)
        elif f.source == "indicator":
            family = registry.source_of(f.indicator_code)
            if family is None:
                continue
            if family not in family_cache:
                family_cache[family] = family(window_of(period), school_ids) if school_ids else {}
            values = family_cache[family].get(f.indicator_code)
            if values is None:
                out[f.code] = 0
                continue
            num, den = sum_over_tree(values, school_ids)
            if f.indicator_part == "denominator":
                out[f.code] = _number(den)
            elif f.indicator_part == "value":
                out[f.code] = round(100.0 * num / den, 1) if den else None
            else:
                out[f.code] = _number(num)
    return out
