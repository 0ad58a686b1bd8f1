"""Writes of the reporting domain: issuing reports for a period, filling, submitting, reviewing, consolidating."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mamnon.calc import reporting as calc
from mamnon.calc.periods import PeriodError, parse_period
from mamnon.core import clock, scoping
from mamnon.org.models import OrgUnit
from mamnon.reporting import selectors
from mamnon.reporting.models import (
    FieldKind,
    Report,
    ReportEvent,
    ReportForm,
    Status,
)
from mamnon.reporting.prefill import prefill_values

Action = ReportEvent.Action
MAX_FIGURE = 10**12  # no report figure (children, staff, đồng) comes near; larger input is a typing error


def form_due_date(form: ReportForm, period_code: str, *, consolidation: bool = False) -> dt.date:
    """The due date of ``form`` for a period; offices' consolidations fall ``consolidation_days`` later."""
    try:
        period = parse_period(period_code)
        due = calc.due_date(form.due_kind, period.start, period.end, **form.due_rule_kwargs())
    except (PeriodError, calc.DueDateError):
        raise ValidationError({"period": _("The due-date rule of “%(form)s” gives no date for %(period)s.")
                               % {"form": form.name, "period": period_code}}) from None
    return due + dt.timedelta(days=form.consolidation_days) if consolidation else due


@transaction.atomic
def reports_issue(*, form: ReportForm, period: str, actor=None) -> list[Report]:
    """Create the reports owed for ``period`` (idempotent): one per expected unit, one per consolidating office.

    Re-running it after units open picks them up; existing reports are never touched.
    """
    due = form_due_date(form, period)
    consolidation_due = form_due_date(form, period, consolidation=True)
    expected = selectors.expected_units(form, period)
    offices = selectors.consolidating_offices(form, period, expected) if form.consolidate else {}
    existing = set(Report.objects.filter(form=form, period=period).values_list("unit_id", flat=True))
    new = [Report(form=form, unit_id=uid, period=period, due_date=due) for uid in expected if uid not in existing]
    new += [Report(form=form, unit_id=uid, period=period, due_date=consolidation_due, is_consolidation=True)
            for uid in offices if uid not in existing]
    Report.objects.bulk_create(new)
    return new


def _parse_value(field, raw):
    """A typed value, or raise ValueError with the Vietnamese message naming the field."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if field.kind == FieldKind.TEXT:
        return str(raw).strip()[:2000]
    text = str(raw).strip().replace(" ", "")
    if len(text) > 20:
        raise ValueError(_("“%(field)s”: the number is too large.") % {"field": field.label})
    if field.kind == FieldKind.INTEGER:
        if isinstance(raw, bool) or not text.lstrip("-").isdigit():
            raise ValueError(_("“%(field)s”: enter a whole number.") % {"field": field.label})
        value = int(text)
    else:
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("“%(field)s”: enter a number.") % {"field": field.label}) from None
        if not value.is_finite():
            raise ValueError(_("“%(field)s”: enter a number.") % {"field": field.label})
        value = float(value)
    if value < 0:
        raise ValueError(_("“%(field)s”: the number cannot be negative.") % {"field": field.label})
    if value > MAX_FIGURE:
        raise ValueError(_("“%(field)s”: the number is too large.") % {"field": field.label})
    return value


def clean_values(form: ReportForm, raw: dict) -> dict:
    """Every field's value typed; ValidationError naming each bad field (nothing is kept if one is bad)."""
    if not isinstance(raw, dict):
        raise ValidationError({"values": _("The values must be given as field code: value.")})
    fields = {f.code: f for f in form.fields.all()}
    unknown = sorted(set(raw) - set(fields))
    errors: dict[str, str] = {}
    if unknown:
        errors["values"] = _("Unknown fields: %(codes)s.") % {"codes": ", ".join(unknown)}
    out = {}
    for code, field in fields.items():
        try:
            out[code] = _parse_value(field, raw.get(code))
        except ValueError as exc:
            errors[code] = str(exc)
    if errors:
        raise ValidationError(errors)
    return out


def check_report(form: ReportForm, values: dict) -> tuple[list[str], list[str]]:
    """(errors, warnings): required fields missing, and the form's validation rules that fail."""
    errors, warnings = [], []
    for field in form.fields.all():
        if field.required and values.get(field.code) in (None, ""):
            errors.append(_("“%(field)s” is required.") % {"field": field.label})
    for rule in form.rules.all():
        try:
            holds, left, right = calc.check_rule(rule.left, rule.op, rule.right, values)
        except (calc.ExpressionError, TypeError, InvalidOperation):
            continue
        if not holds:
            text = _("%(message)s (%(left)s %(op)s %(right)s is not true)") % {
                "message": rule.message, "left": _fmt(left), "op": rule.op, "right": _fmt(right)}
            (errors if rule.severity == "error" else warnings).append(text)
    return errors, warnings


def _fmt(x) -> str:
    if x is None:
        return ""
    x = Decimal(x)
    return str(int(x)) if x == x.to_integral_value() else str(x.normalize())


def _event(report, action, actor, comment=""):
    ReportEvent.objects.create(report=report, action=action, actor=actor, comment=comment)


def _locked_error():
    return ValidationError({"status": _("This report is submitted or approved and locked: it cannot be changed.")})


@transaction.atomic
def report_prefill(*, report: Report, today: dt.date | None = None) -> Report:
    """Refresh the values offered by the data; fields not yet typed take them."""
    report = Report.objects.select_for_update(of=("self",)).select_related("form", "unit").get(pk=report.pk)
    if report.is_locked:
        raise _locked_error()
    offered = prefill_values(report.form, report.unit, report.period, today=today)
    values = dict(report.values)
    for code, value in offered.items():
        if values.get(code) in (None, "") or values.get(code) == report.prefilled.get(code):
            values[code] = value
    report.prefilled = offered
    report.values = values
    report.save(update_fields=["prefilled", "values", "updated_at"])
    return report


@transaction.atomic
def report_save(*, report: Report, values: dict, actor) -> Report:
    """Save a draft: types checked (all-or-nothing); the rules are checked at submission."""
    report = Report.objects.select_for_update(of=("self",)).select_related("form", "unit__level").get(pk=report.pk)
    if not scoping.can_fill_report(actor, report.unit):
        raise PermissionDenied
    if report.is_locked:
        raise _locked_error()
    cleaned = clean_values(report.form, values)
    report.values = cleaned
    if not report.is_consolidation:
        # What the data offered when the unit saved, kept beside what it typed (the office sees both).
        report.prefilled = prefill_values(report.form, report.unit, report.period)
    if report.status == Status.NOT_STARTED:
        report.status = Status.DRAFT
    report._history_user = actor
    report.save(update_fields=["values", "prefilled", "status", "updated_at"])
    _event(report, Action.SAVED, actor)
    return report


@transaction.atomic
def report_submit(*, report: Report, actor, now=None) -> tuple[Report, list[str]]:
    """The principal (an office's officer) signs off; errors block, warnings are returned."""
    report = Report.objects.select_for_update(of=("self",)).select_related("form", "unit__level").get(pk=report.pk)
    if not scoping.can_sign_report(actor, report.unit):
        raise PermissionDenied
    if report.is_locked:
        raise _locked_error()
    errors, warnings = check_report(report.form, report.values)
    if errors:
        raise ValidationError({"values": errors})
    now = now or clock.now()
    report.status = Status.SUBMITTED
    report.submitted_at = now
    report.submitted_by = actor
    if report.first_submitted_at is None:
        report.first_submitted_at = now
    report._history_user = actor
    report.save()
    _event(report, Action.SUBMITTED, actor, "\n".join(warnings))
    return report, warnings


def _review(report: Report, actor) -> Report:
    report = Report.objects.select_for_update(of=("self",)).select_related("form", "unit__level").get(pk=report.pk)
    if not scoping.can_review_report(actor, report.unit):
        raise PermissionDenied
    return report


@transaction.atomic
def report_return(*, report: Report, actor, comment: str) -> Report:
    """The office sends a submitted report back with its comments."""
    report = _review(report, actor)
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what must be corrected.")})
    if report.status != Status.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted report can be returned.")})
    report.status = Status.RETURNED
    report._history_user = actor
    report.save(update_fields=["status", "updated_at"])
    _event(report, Action.RETURNED, actor, comment.strip())
    return report


@transaction.atomic
def report_approve(*, report: Report, actor, now=None) -> Report:
    report = _review(report, actor)
    if report.status != Status.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted report can be approved.")})
    report.status = Status.APPROVED
    report.approved_at = now or clock.now()
    report.approved_by = actor
    report._history_user = actor
    report.save()
    _event(report, Action.APPROVED, actor)
    return report


@transaction.atomic
def report_reopen(*, report: Report, actor, reason: str) -> Report:
    """Unlock an approved report (the reason is recorded); the unit corrects and submits again."""
    report = _review(report, actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for re-opening.")})
    if report.status != Status.APPROVED:
        raise ValidationError({"status": _("Only an approved report can be re-opened.")})
    report.status = Status.RETURNED
    report.approved_at = None
    report.approved_by = None
    report._history_user = actor
    report.save()
    _event(report, Action.REOPENED, actor, reason.strip())
    return report


@transaction.atomic
def report_consolidate(*, report: Report, actor) -> tuple[Report, dict]:
    """An office's report = the sums of its units' submitted and approved reports (summable fields)."""
    report = Report.objects.select_for_update(of=("self",)).select_related("form", "unit__level").get(pk=report.pk)
    if not report.is_consolidation:
        raise ValidationError({"status": _("Only an office's report is consolidated.")})
    if not scoping.can_fill_report(actor, report.unit):
        raise PermissionDenied
    if report.is_locked:
        raise _locked_error()
    sums, counts = selectors.consolidated_values(report)
    values = dict(report.values)
    values.update(sums)
    report.values = values
    report.prefilled = sums
    if report.status == Status.NOT_STARTED:
        report.status = Status.DRAFT
    report._history_user = actor
    report.save(update_fields=["values", "prefilled", "status", "updated_at"])
    _event(report, Action.CONSOLIDATED, actor,
           _("%(approved)d approved and %(submitted)d submitted reports summed; %(missing)d not received.")
           % counts)
    return report, counts


def unit_of(report: Report) -> OrgUnit:
    return report.unit


# --- defining forms ------------------------------------------------------------------------------------

FIELD_KEYS = ("code", "label", "section", "kind", "required", "source", "indicator_code", "indicator_part",
              "records_query", "summable")


@transaction.atomic
def form_define(*, actor, unit: OrgUnit, code: str, name: str, target_level, period_type: str, due_kind: str,
                fields: list, rules: list | None = None, due_months: str = "", due_day=None, due_days_after=None,
                due_date=None, as_of_month=None, as_of_day=None, consolidate: bool = True, description: str = "",
                legal_basis: str = "") -> ReportForm:
    """An office defines a form for the units below it: all or nothing, every error naming its field or rule."""
    from mamnon.reporting.models import FieldSource, FormField, PeriodType, ValidationRule
    from mamnon.reporting.prefill import RECORDS_QUERIES

    if unit.level.is_school or not scoping.can_fill_report(actor, unit):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}

    def err(key, message):
        errors.setdefault(key, []).append(message)

    if target_level is None or target_level.rank <= unit.level.rank:
        err("target_level", _("The reporting units must be at a level below the defining unit."))
    if period_type not in PeriodType.values:
        err("period_type", _("Unknown period type."))
    if ReportForm.objects.filter(unit=unit, code=code).exists():
        err("code", _("This unit already has a form with this code."))
    form = ReportForm(unit=unit, code=code, name=name, target_level=target_level, period_type=period_type,
                      due_kind=due_kind, due_months=due_months or "", due_day=due_day, due_days_after=due_days_after,
                      due_date=due_date, as_of_month=as_of_month, as_of_day=as_of_day, consolidate=consolidate,
                      description=description, legal_basis=legal_basis)
    try:
        form.full_clean(exclude=["unit", "target_level", "code"] if "code" in errors else ["unit", "target_level"])
    except ValidationError as exc:
        for key, msgs in exc.message_dict.items():
            for m in msgs:
                err(key, m)
    rows, seen = [], set()
    if not fields:
        err("fields", _("A form needs at least one field."))
    for i, spec in enumerate(fields or [], 1):
        spec = spec if isinstance(spec, dict) else {}
        where = _("Field %(n)d") % {"n": i}
        fcode = str(spec.get("code", ""))
        if not calc._CODE.match(fcode):
            err("fields", _("%(where)s: the code must start with a letter and use only a-z, 0-9 and _.")
                % {"where": where})
        elif fcode in seen:
            err("fields", _("%(where)s: the code %(code)s is used twice.") % {"where": where, "code": fcode})
        seen.add(fcode)
        source = spec.get("source", FieldSource.TYPED)
        if source == FieldSource.INDICATOR and not spec.get("indicator_code"):
            err("fields", _("%(where)s: name the indicator code.") % {"where": where})
        if source == FieldSource.RECORDS and spec.get("records_query") not in RECORDS_QUERIES:
            err("fields", _("%(where)s: unknown records query; choose one of %(codes)s.")
                % {"where": where, "codes": ", ".join(sorted(RECORDS_QUERIES))})
        field = FormField(order=i, **{k: spec[k] for k in FIELD_KEYS if k in spec})
        try:
            field.full_clean(exclude=["form"])
        except ValidationError as exc:
            for key, msgs in exc.message_dict.items():
                err("fields", f"{where} ({key}): {' '.join(msgs)}")
        rows.append(field)
    checks = []
    for i, spec in enumerate(rules or [], 1):
        spec = spec if isinstance(spec, dict) else {}
        where = _("Rule %(n)d") % {"n": i}
        try:
            used = calc.codes_of(spec.get("left", "")) | calc.codes_of(spec.get("right", ""))
        except calc.ExpressionError:
            err("rules", _("%(where)s: each side must be field codes and whole numbers joined by + or -.")
                % {"where": where})
            continue
        missing = sorted(used - seen)
        if missing:
            err("rules", _("%(where)s: no field %(codes)s.") % {"where": where, "codes": ", ".join(missing)})
        if spec.get("op") not in calc.OPS:
            err("rules", _("%(where)s: the comparison must be one of %(ops)s.")
                % {"where": where, "ops": " ".join(calc.OPS)})
        checks.append(ValidationRule(left=spec.get("left", ""), op=spec.get("op", ""), right=spec.get("right", ""),
                                     severity=spec.get("severity", "error"), message=spec.get("message", "")[:300]))
    if errors:
        raise ValidationError(errors)
    form.save()
    for field in rows:
        field.form = form
    FormField.objects.bulk_create(rows)
    for check in checks:
        check.form = form
    ValidationRule.objects.bulk_create(checks)
    return form


# --- the calendar of duties ------------------------------------------------------------------------------


def _month_in_year(year, month: int) -> dt.date:
    """The first day of ``month`` within school year ``year`` (September to August)."""
    y = year.start_date.year if month >= year.start_date.month else year.start_date.year + 1
    return dt.date(y, month, 1)


@transaction.atomic
def duty_set_status(*, duty, actor, status: str):
    from mamnon.reporting.models import Duty

    duty = Duty.objects.select_for_update(of=("self",)).select_related("unit__level").get(pk=duty.pk)
    if not scoping.can_fill_report(actor, duty.unit):
        raise PermissionDenied
    if status not in Duty.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    duty.status = status
    duty._history_user = actor
    duty.save(update_fields=["status"])
    return duty


def _shift_year(day: dt.date, shift: int) -> dt.date:
    try:
        return day.replace(year=day.year + shift)
    except ValueError:  # 29/02 into a year without it
        return day.replace(year=day.year + shift, day=28)


@transaction.atomic
def duties_roll_over(*, unit: OrgUnit, from_year, to_year, actor=None) -> int:
    """Copy the unit's recurring duties of ``from_year`` into ``to_year`` (same months and days); returns how
    many were copied.

    A duty already in the new year's plan (the same title in the same month) is not copied again, so running it
    twice, or after the unit has started its new plan, copies only what is missing. Statuses start as planned.
    """
    from mamnon.reporting.models import Duty

    if actor is not None and not scoping.can_fill_report(actor, unit):
        raise PermissionDenied
    if to_year.start_date <= from_year.start_date:
        raise ValidationError({"to_year": _("The plan is copied into a later school year than %(year)s.")
                               % {"year": from_year.code}})
    shift = to_year.start_date.year - from_year.start_date.year
    present = set(Duty.objects.filter(unit=unit, school_year=to_year).values_list("title", "month"))
    rows = []
    for d in Duty.objects.filter(unit=unit, school_year=from_year, recurring=True).order_by("month", "id"):
        month = _shift_year(d.month, shift)
        if (d.title, month) in present:
            continue
        present.add((d.title, month))
        rows.append(Duty(unit=unit, school_year=to_year, month=month,
                         due_date=_shift_year(d.due_date, shift) if d.due_date else None, title=d.title,
                         owner=d.owner, deliverable=d.deliverable, recipient=d.recipient, recurring=True,
                         for_units_below=d.for_units_below))
    Duty.objects.bulk_create(rows)
    return len(rows)


def units_with_recurring_duties(from_year, under: OrgUnit | None = None):
    """Units (in tree order) whose plan of ``from_year`` has recurring duties; ``under``: that subtree only."""
    from mamnon.reporting.models import Duty

    ids = Duty.objects.filter(school_year=from_year, recurring=True).values("unit_id")
    qs = OrgUnit.objects.filter(pk__in=ids).select_related("level").order_by("path")
    return qs.filter(path__startswith=under.path) if under is not None else qs


@transaction.atomic
def duty_create(*, actor, unit: OrgUnit, month: dt.date, title: str, due_date: dt.date | None = None,
                owner: str = "", deliverable: str = "", recipient: str = "", recurring: bool = False,
                for_units_below: bool = False):
    """A duty in ``unit``'s plan for ``month`` (the month of its due date when it has one)."""
    from mamnon.org.models import SchoolYear
    from mamnon.reporting.models import Duty

    if not scoping.can_fill_report(actor, unit):
        raise PermissionDenied
    month = (due_date or month).replace(day=1)
    year = SchoolYear.objects.filter(start_date__lte=due_date or month).order_by("-start_date").first()
    if year is None:
        raise ValidationError({"due_date": _("No school year covers this date.")})
    if for_units_below and unit.level.is_school:
        raise ValidationError({"for_units_below": _("A school has no units below it.")})
    if not (title or "").strip():
        raise ValidationError({"title": _("Say what the duty is.")})
    duty = Duty(unit=unit, school_year=year, month=month, due_date=due_date, title=title.strip(), owner=owner,
                deliverable=deliverable, recipient=recipient, recurring=recurring, for_units_below=for_units_below)
    duty._history_user = actor
    duty.save()
    return duty
