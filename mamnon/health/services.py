"""Writes of the growth-monitoring domain: rounds, and measurements saved with their WHO scores and statuses.

Every save computes the z-scores of all its rows in one call of ``mamnon.calc.growth.zscores`` and the statuses
in one call of ``mamnon.calc.nutrition_status.classify`` with the cut-offs in force (Rule rows nutrition.*,
regulations.md section 9), then writes the rows in bulk with their history, inside one transaction: a batch
with any error writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from mamnon.calc import nutrition_status as ns
from mamnon.calc.growth import zscores
from mamnon.children.models import Group
from mamnon.health import selectors
from mamnon.health.models import Measurement, MeasurementRound
from mamnon.org.models import OrgUnit, SchoolYear

# Bounds beyond which a number cannot be a preschool child's (a typing error, not a measurement): rejected.
WEIGHT_MIN, WEIGHT_MAX = Decimal("1.5"), Decimal("60")
HEIGHT_MIN, HEIGHT_MAX = Decimal("40"), Decimal("150")
NOTE_MAX = 200
FLAG_KEYS = ("waz", "haz", "whz", "baz")
# The 16 combinations of the four flags, as the text stored in Measurement.flags (indexed by a 4-bit code).
FLAG_TEXT = np.array([",".join(k for b, k in enumerate(FLAG_KEYS) if code >> b & 1) for code in range(16)],
                     dtype=object)
ROUND_MONTHS = ((1, 9), (2, 12), (3, 3))  # seed 002 and regulations.md section 9: September, December, March


def _d(day: dt.date) -> str:
    return date_format(day, "d/m/Y")


def _n(value: Decimal) -> str:
    """A number in a message as the grid takes it: 250 for 250.00, 1,5 for 1.5 (Vietnamese decimal comma)."""
    return f"{Decimal(value).normalize():f}".replace(".", ",")


# --- scores -----------------------------------------------------------------------------------------------


def score_arrays(sex, age_days, weight_kg, height_cm, measured_lying, oedema, *,
                 thresholds: ns.Thresholds) -> dict[str, np.ndarray]:
    """Scores, flags text and statuses for aligned arrays (NaN where not defined): the one computation shared
    by the grid, the import, the API and the demo."""
    z = zscores(sex, age_days, weight_kg, height_cm, measured_lying=measured_lying, oedema=oedema)
    status = ns.classify(age_days, z, thresholds)
    code = sum(np.asarray(z[f"flag_{k}"], dtype=np.int64) << b for b, k in enumerate(FLAG_KEYS))
    return {**{k: z[k] for k in FLAG_KEYS}, "flags": FLAG_TEXT[np.asarray(code, dtype=np.int64)],
            "wfa_status": status["wfa"], "hfa_status": status["hfa"], "wfh_status": status["wfh"],
            "uses_bmi": status["uses_bmi"]}


def _none_if_nan(x: float) -> float | None:
    return None if x != x else round(float(x), 2)


# --- rounds -----------------------------------------------------------------------------------------------


def _check_definer(actor, unit: OrgUnit) -> None:
    if not selectors.may_define_rounds(actor, unit):
        raise PermissionDenied


def _round_errors(number, name, start_date, end_date, deadline, year: SchoolYear) -> dict:
    errors = {}
    if not name or not str(name).strip():
        errors["name"] = _("Give the round a name.")
    if number is None or not 1 <= int(number) <= 12:
        errors["number"] = _("The round number must be between 1 and 12.")
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = _("The last day must not come before the first day.")
    if start_date and deadline and deadline < start_date:
        errors["deadline"] = _("The deadline must not come before the first day.")
    if start_date and end_date and not (year.start_date - dt.timedelta(days=31) <= start_date
                                        and end_date <= year.end_date + dt.timedelta(days=31)):
        errors["start_date"] = _("The round must fall within the school year %(year)s.") % {"year": year.code}
    return errors


@transaction.atomic
def round_create(*, actor, unit: OrgUnit, school_year: SchoolYear, number: int, name: str,
                 start_date: dt.date, end_date: dt.date, deadline: dt.date) -> MeasurementRound:
    """An office (for every school below it) or a school defines a round."""
    _check_definer(actor, unit)
    errors = _round_errors(number, name, start_date, end_date, deadline, school_year)
    if not errors and MeasurementRound.objects.filter(unit=unit, school_year=school_year, number=number).exists():
        errors["number"] = _("Round %(n)s of %(year)s already exists for %(unit)s.") % {
            "n": number, "year": school_year.code, "unit": unit.name}
    if errors:
        raise ValidationError(errors)
    rnd = MeasurementRound(unit=unit, school_year=school_year, number=number, name=name.strip(),
                           start_date=start_date, end_date=end_date, deadline=deadline)
    rnd._history_user = actor
    rnd.save()
    return rnd


@transaction.atomic
def round_update(*, actor, rnd: MeasurementRound, name: str, start_date: dt.date, end_date: dt.date,
                 deadline: dt.date) -> MeasurementRound:
    _check_definer(actor, rnd.unit)
    errors = _round_errors(rnd.number, name, start_date, end_date, deadline, rnd.school_year)
    outside = rnd.measurements.exclude(date__range=(start_date, end_date)).exists() if not errors else False
    if outside:
        errors["start_date"] = _("Some measurements of this round fall outside the new dates.")
    if errors:
        raise ValidationError(errors)
    rnd.name, rnd.start_date, rnd.end_date, rnd.deadline = name.strip(), start_date, end_date, deadline
    rnd._history_user = actor
    rnd.save()
    return rnd


def default_round_dates(year: SchoolYear, number: int, deadline_day: int = 20) -> tuple[dt.date, dt.date, dt.date]:
    """September, December, March: the whole month, results due on the 20th (seed 002: 20/9, 20/12, 20/3)."""
    import calendar

    month = dict(ROUND_MONTHS)[number]
    y = year.start_date.year if month >= 9 else year.end_date.year
    first = dt.date(y, month, 1)
    last = dt.date(y, month, calendar.monthrange(y, month)[1])
    return first, last, dt.date(y, month, min(deadline_day, last.day))


@transaction.atomic
def rounds_create_defaults(*, actor, unit: OrgUnit, school_year: SchoolYear) -> list[MeasurementRound]:
    """The three usual rounds (September, December, March) for ``unit``; numbers that exist are kept."""
    _check_definer(actor, unit)
    deadline_day = int(selectors.rule_or(("growth_round.deadline_day"), school_year.start_date, unit, 20))
    names = {1: _("Round 1 (September)"), 2: _("Round 2 (December)"), 3: _("Round 3 (March)")}
    have = set(MeasurementRound.objects.filter(unit=unit, school_year=school_year).values_list("number", flat=True))
    made = []
    for number, _month in ROUND_MONTHS:
        if number in have:
            continue
        first, last, due = default_round_dates(school_year, number, deadline_day)
        made.append(MeasurementRound(unit=unit, school_year=school_year, number=number, name=names[number],
                                     start_date=first, end_date=last, deadline=due))
    if made:
        bulk_create_with_history(made, MeasurementRound, default_user=actor)
    return made


# --- measurements -------------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One child's values as entered (already parsed to numbers; None when left empty)."""

    child_id: int
    weight_kg: Decimal | None = None
    height_cm: Decimal | None = None
    measured_lying: bool | None = None
    oedema: bool = False
    note: str = ""
    label: str = ""  # how errors name the row ("Dòng 7"), the child's name when empty


@dataclass
class SaveResult:
    created: int
    updated: int
    measurements: list[Measurement]


def _q(value: Decimal | None, places: str) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def entry_errors(entry: Entry, *, name: str, birth_date: dt.date, day: dt.date) -> list[tuple[str, str]]:
    """The absurd values and impossible dates of one row: (field, Vietnamese message naming the row and field)."""
    who = entry.label or name
    errors = []
    if day < birth_date:
        errors.append(("date", _("%(who)s: the date measured %(day)s is before the date of birth %(born)s.")
                       % {"who": who, "day": _d(day), "born": _d(birth_date)}))
    if entry.weight_kg is None and entry.height_cm is None:
        errors.append(("weight_kg", _("%(who)s: enter the weight, the height or both.") % {"who": who}))
    if entry.weight_kg is not None and not WEIGHT_MIN <= entry.weight_kg <= WEIGHT_MAX:
        errors.append(("weight_kg", _("%(who)s, weight: %(value)s kg is not a child's weight (%(min)s to %(max)s kg).")
                       % {"who": who, "value": _n(entry.weight_kg), "min": _n(WEIGHT_MIN), "max": _n(WEIGHT_MAX)}))
    if entry.height_cm is not None and not HEIGHT_MIN <= entry.height_cm <= HEIGHT_MAX:
        errors.append(("height_cm", _("%(who)s, height: %(value)s cm is not a child's height (%(min)s to %(max)s cm).")
                       % {"who": who, "value": _n(entry.height_cm), "min": _n(HEIGHT_MIN), "max": _n(HEIGHT_MAX)}))
    if len(entry.note or "") > NOTE_MAX:
        errors.append(("note", _("%(who)s, note: longer than %(max)d characters.") % {"who": who, "max": NOTE_MAX}))
    return errors


def check_entry(entry: Entry, *, name: str, birth_date: dt.date, day: dt.date) -> list[str]:
    """The messages of ``entry_errors``."""
    return [m for _f, m in entry_errors(entry, name=name, birth_date=birth_date, day=day)]


def _keyed(field_name: str, message: str) -> ValidationError:
    """A row's error with the field it is about as its code (the API answers under that field)."""
    return ValidationError(message, code=field_name)


def _check_day(day: dt.date, rnd: MeasurementRound | None, today: dt.date) -> None:
    if day > today:
        raise ValidationError({"date": _("The date measured %(day)s is in the future.") % {"day": _d(day)}})
    if rnd is not None and not rnd.start_date <= day <= rnd.end_date:
        raise ValidationError({"date": _("The date measured %(day)s is outside %(round)s (%(first)s to %(last)s).")
                               % {"day": _d(day), "round": rnd.name, "first": _d(rnd.start_date),
                                  "last": _d(rnd.end_date)}})


def writable_group(actor, group_id: int) -> Group:
    group = (selectors.entry_groups(actor, write=True).select_related("school__unit", "school_year")
             .filter(pk=group_id).first())
    if group is None:
        raise Group.DoesNotExist
    return group


@transaction.atomic
def measurements_save(*, actor, group_id: int, day: dt.date, entries: list[Entry],
                      rnd: MeasurementRound | None = None, today: dt.date | None = None) -> SaveResult:
    """Save one group's measurements of one day (in ``rnd``, or outside the rounds when None).

    Rows are matched on (child, round) in a round and on (child, date) outside: saving again corrects them.
    Raises Group.DoesNotExist when the group is not the actor's to write, ValidationError (with every row's
    errors, nothing written) for bad input.
    """
    group = writable_group(actor, group_id)
    today = today or selectors.local_today()
    if rnd is not None and not (selectors.round_applies_to(rnd, group.school) and rnd.school_year_id ==
                                group.school_year_id):
        raise ValidationError({"round": _("%(round)s does not apply to %(group)s.")
                               % {"round": rnd.name, "group": group.name}})
    _check_day(day, rnd, today)
    rows = {r.child_id: r for r in selectors.grid_rows(group, day, rnd)}
    errors: list[ValidationError] = []
    seen: set[int] = set()
    for entry in entries:
        row = rows.get(entry.child_id)
        if row is None:
            errors.append(_keyed("child", _("%(who)s: child #%(id)s is not enrolled in %(group)s on %(day)s.")
                                 % {"who": entry.label or _("Row"), "id": entry.child_id, "group": group.name,
                                    "day": _d(day)}))
            continue
        if entry.child_id in seen:
            errors.append(_keyed("child", _("%(who)s: %(name)s appears twice.")
                                 % {"who": entry.label or row.full_name, "name": row.full_name}))
            continue
        seen.add(entry.child_id)
        entry.weight_kg, entry.height_cm = _q(entry.weight_kg, "0.01"), _q(entry.height_cm, "0.1")
        errors += [_keyed(f, m) for f, m in entry_errors(entry, name=row.full_name, birth_date=row.birth_date,
                                                         day=day)]
    if errors:
        raise ValidationError({"entries": errors})
    if not entries:
        return SaveResult(0, 0, [])
    if rnd is None:  # outside the rounds: one row per child and day, and never a round's day
        clash = Measurement.objects.filter(child_id__in=seen, date=day, round__isnull=False).values_list(
            "child__full_name", flat=True)
        if clash:
            raise ValidationError({"entries": [_keyed("date", _("%(name)s already has a round measurement on %(day)s.")
                                                          % {"name": n, "day": _d(day)}) for n in clash]})
    else:  # a round's measurement replaces another row of the same child and day outside the rounds
        Measurement.objects.filter(child_id__in=seen, date=day, round__isnull=True).delete()

    sel = [(e, rows[e.child_id]) for e in entries]
    th = selectors.thresholds_on(day, group.school.unit)
    scores = score_arrays(
        [r.sex for _e, r in sel], [r.age_days(day) for _e, r in sel],
        [selectors.as_float(e.weight_kg) for e, _r in sel], [selectors.as_float(e.height_cm) for e, _r in sel],
        [e.measured_lying for e, _r in sel], [bool(e.oedema) for e, _r in sel], thresholds=th,
    )
    new, changed = [], []
    for i, (e, r) in enumerate(sel):
        m = r.measurement or Measurement(school_id=group.school_id, child_id=e.child_id, round=rnd)
        (changed if m.pk else new).append(m)
        m.group_id, m.date, m.age_days = group.pk, day, r.age_days(day)
        m.weight_kg, m.height_cm, m.measured_lying, m.oedema = e.weight_kg, e.height_cm, e.measured_lying, e.oedema
        m.note, m.measured_by = (e.note or "").strip(), actor
        for k in FLAG_KEYS:
            setattr(m, k, _none_if_nan(scores[k][i]))
        m.flags = scores["flags"][i]
        m.wfa_status, m.hfa_status, m.wfh_status = (int(scores[k][i]) for k in ("wfa_status", "hfa_status",
                                                                                  "wfh_status"))
    if new:
        bulk_create_with_history(new, Measurement, default_user=actor)
    if changed:
        bulk_update_with_history(changed, Measurement, UPDATE_FIELDS, default_user=actor)
    return SaveResult(len(new), len(changed), new + changed)


UPDATE_FIELDS = ["group", "date", "age_days", "weight_kg", "height_cm", "measured_lying", "oedema", "note",
                 "measured_by", "waz", "haz", "whz", "baz", "flags", "wfa_status", "hfa_status", "wfh_status"]


@transaction.atomic
def measurement_delete(*, actor, measurement: Measurement) -> None:
    from mamnon.core import scoping

    if not scoping.check(actor, scoping.CHANGE, measurement):
        raise PermissionDenied
    measurement._history_user = actor
    measurement.delete()


# --- the grid's instant feedback (no write) ------------------------------------------------------------------


@dataclass
class Preview:
    scores: dict  # waz, haz, whz, baz: rounded floats or None
    statuses: dict  # wfa, hfa, wfh: Status codes
    uses_bmi: bool
    warnings: list[str]
    errors: list[str]


def change_messages(code: int) -> list[str]:
    out = []
    if code & ns.HEIGHT_LOSS:
        out.append(_("Shorter than at the previous measurement: check the height."))
    if code & ns.HEIGHT_JUMP:
        out.append(_("Grew much faster than a child can since the previous measurement: check the height."))
    if code & ns.WEIGHT_JUMP:
        out.append(_("Weight changed by more than a fifth since the previous measurement: check the weight."))
    return out


def flag_messages(flags: str) -> list[str]:
    labels = {"waz": _("weight-for-age"), "haz": _("height-for-age"), "whz": _("weight-for-height"),
              "baz": _("BMI-for-age")}
    return [_("The %(indicator)s z-score is biologically implausible (WHO flag): check the measurement.")
            % {"indicator": labels[k]} for k in flags.split(",") if k in labels]


def measurement_preview(*, group: Group, row, day: dt.date, entry: Entry) -> Preview:
    """Scores, statuses and warnings of one row as typed, for the grid (nothing is saved)."""
    entry.weight_kg, entry.height_cm = _q(entry.weight_kg, "0.01"), _q(entry.height_cm, "0.1")
    errors = check_entry(entry, name=row.full_name, birth_date=row.birth_date, day=day)
    if errors:
        return Preview({}, {}, False, [], errors)
    unit = group.school.unit
    s = score_arrays([row.sex], [row.age_days(day)], [selectors.as_float(entry.weight_kg)],
                     [selectors.as_float(entry.height_cm)], [entry.measured_lying], [bool(entry.oedema)],
                     thresholds=selectors.thresholds_on(day, unit))
    warnings = flag_messages(s["flags"][0])
    if row.previous is not None:
        p = row.previous
        code = ns.implausible_change(p.age_days, selectors.as_float(p.weight_kg), selectors.as_float(p.height_cm),
                                     row.age_days(day), selectors.as_float(entry.weight_kg),
                                     selectors.as_float(entry.height_cm), selectors.change_limits_on(day, unit))
        warnings += change_messages(int(code[0]))
    return Preview({k: _none_if_nan(s[k][0]) for k in FLAG_KEYS},
                   {k: int(s[f"{k}_status"][0]) for k in ns.AXES}, bool(s["uses_bmi"][0]), warnings, [])
