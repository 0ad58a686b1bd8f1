"""Writes of health checks, illnesses and medicine given at school: keyword-only, atomic, all or nothing.

Every error is a ``ValidationError`` keyed by field (Vietnamese through the catalogue); nothing is written when
one row of a group's examination fails.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mamnon.children.models import Child, Enrolment, Group
from mamnon.core import clock, scoping
from mamnon.health.models_checks import CHECK_AREAS, HealthCheck, Illness, MedicineDose

TEMPERATURE_RANGE = (Decimal("34.0"), Decimal("43.0"))


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _require(actor, model, child: Child) -> None:
    """``actor`` may write ``model`` rows of ``child`` (the model's change roles, the child's scope)."""
    if not scoping.children_reached(actor, model.scope_change_roles).filter(pk=child.pk).exists():
        raise PermissionDenied


def _day_errors(child: Child, day: dt.date | None, field: str) -> dict:
    if day is None:
        return {field: [_("Enter a date as dd/mm/yyyy.")]}
    if day > clock.today():
        return {field: [_("The date %(date)s is in the future.") % {"date": _fmt(day)}]}
    if day < child.birth_date:
        return {field: [_("The date %(date)s is before the child's birth (%(birth)s).")
                        % {"date": _fmt(day), "birth": _fmt(child.birth_date)}]}
    return {}


def _moment_errors(child: Child, moment: dt.datetime | None, field: str) -> dict:
    if moment is None:
        return {field: [_("Enter the date and time.")]}
    if moment > clock.now() + dt.timedelta(minutes=5):
        return {field: [_("The time %(when)s is in the future.")
                        % {"when": timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")}]}
    return _day_errors(child, timezone.localdate(moment), field)


def group_on(child: Child, day: dt.date) -> Group | None:
    """The group the child was in on ``day`` (enrolment end_date is the last day, inclusive)."""
    e = (Enrolment.objects.filter(child=child, start_date__lte=day)
         .filter(Q(end_date__isnull=True) | Q(end_date__gte=day)).select_related("group").order_by("-start_date")
         .first())
    return e.group if e else None


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


def _check_fields(*, examiner, findings: dict, referral: bool, referral_to: str) -> tuple[dict, dict]:
    errors: dict = {}
    clean = {name: _text(findings.get(name), 300) for name, _label in CHECK_AREAS}
    examiner = _text(examiner, 150)
    referral_to = _text(referral_to, 200)
    if not examiner:
        errors["examiner"] = [_("Name the examiner (doctor or health station).")]
    if referral and not referral_to:
        errors["referral_to"] = [_("Say where the child is referred to.")]
    clean.update(examiner=examiner, referral=bool(referral), referral_to=referral_to if referral else "")
    return clean, errors


@transaction.atomic
def health_check_record(*, actor, child: Child, date: dt.date | None, examiner: str, referral: bool = False,
                        referral_to: str = "", note: str = "", **findings) -> HealthCheck:
    """Record one child's periodic examination (one per child and day)."""
    _require(actor, HealthCheck, child)
    unknown = set(findings) - {name for name, _label in CHECK_AREAS}
    if unknown:
        raise TypeError(f"unknown areas {sorted(unknown)}")
    fields, errors = _check_fields(examiner=examiner, findings=findings, referral=referral, referral_to=referral_to)
    errors.update(_day_errors(child, date, "date"))
    if not errors and HealthCheck.objects.filter(child=child, date=date).exists():
        errors["date"] = [_("This child already has an examination on %(date)s.") % {"date": _fmt(date)}]
    if errors:
        raise ValidationError(errors)
    return HealthCheck.objects.create(school_id=child.school_id, child=child, group=group_on(child, date), date=date,
                                      note=_text(note, 300), recorded_by=actor, **fields)


@transaction.atomic
def health_checks_record_group(*, actor, group: Group, date: dt.date | None, examiner: str,
                               rows: dict[int, dict]) -> list[HealthCheck]:
    """A group's examination day: ``rows`` maps child id to its findings (areas, referral, referral_to, note).

    All or nothing: any error (named by the child) and nothing is written. Children must be in the group on
    ``date``.
    """
    if not scoping.reaches_group(actor, HealthCheck.scope_change_roles,
                                 school_path=group.school.unit.path,
                                 teaches=lambda: group.assignments.filter(staff__user_id=actor.pk).exists()):
        raise PermissionDenied
    errors: dict[str, list] = {}
    examiner_clean = _text(examiner, 150)
    if not examiner_clean:
        errors["examiner"] = [_("Name the examiner (doctor or health station).")]
    if date is None:
        errors["date"] = [_("Enter a date as dd/mm/yyyy.")]
    elif date > clock.today():
        errors["date"] = [_("The date %(date)s is in the future.") % {"date": _fmt(date)}]
    if not rows:
        errors.setdefault("__all__", []).append(_("Tick at least one child who was examined."))
    if errors:
        raise ValidationError(errors)
    members = {c.pk: c for c in Child.objects.filter(
        pk__in=list(rows), enrolments__group=group, enrolments__start_date__lte=date).filter(
        Q(enrolments__end_date__isnull=True) | Q(enrolments__end_date__gte=date)).distinct()}
    already = set(HealthCheck.objects.filter(child_id__in=list(rows), date=date).values_list("child_id", flat=True))
    prepared = []
    for child_id, row in rows.items():
        child = members.get(child_id)
        if child is None:
            errors.setdefault("__all__", []).append(
                _("Child no. %(id)s was not in this group on %(date)s.") % {"id": child_id, "date": _fmt(date)})
            continue
        fields, row_errors = _check_fields(examiner=examiner_clean, findings=row,
                                           referral=bool(row.get("referral")), referral_to=row.get("referral_to"))
        row_errors.pop("examiner", None)
        row_errors.update(_day_errors(child, date, "date"))
        if child_id in already:
            row_errors["date"] = [_("This child already has an examination on %(date)s.") % {"date": _fmt(date)}]
        for field, messages in row_errors.items():
            for message in messages:
                errors.setdefault(f"c{child_id}-{field}", []).append(f"{child.full_name}: {message}")
        prepared.append(HealthCheck(school_id=group.school_id, child=child, group=group, date=date,
                                    note=_text(row.get("note"), 300), recorded_by=actor, **fields))
    if errors:
        raise ValidationError(errors)
    created = []
    for check in prepared:  # a class is at most ~40 rows; save() keeps the history rows
        check.save()
        created.append(check)
    return created


def clean_temperature(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        t = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"temperature": [_("Enter the temperature as a number, e.g. 38,5.")]}) from None
    if not TEMPERATURE_RANGE[0] <= t <= TEMPERATURE_RANGE[1]:
        raise ValidationError({"temperature": [_("A temperature of %(t)s °C is not plausible (34-43 °C).")
                                               % {"t": str(t).replace(".", ",")}]})
    return t


@transaction.atomic
def illness_record(*, actor, child: Child, noticed_at: dt.datetime | None, symptoms: str, temperature=None,
                   care: str = "", parents_informed: bool = False, sent_home: bool = False) -> Illness:
    """Record a child falling ill at school."""
    _require(actor, Illness, child)
    errors = _moment_errors(child, noticed_at, "noticed_at")
    symptoms = _text(symptoms, 300)
    if not symptoms:
        errors["symptoms"] = [_("Describe the symptoms.")]
    try:
        temperature = clean_temperature(temperature)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    day = timezone.localdate(noticed_at)
    return Illness.objects.create(school_id=child.school_id, child=child, group=group_on(child, day),
                                  noticed_at=noticed_at, symptoms=symptoms, temperature=temperature,
                                  care=_text(care, 300), parents_informed=bool(parents_informed),
                                  sent_home=bool(sent_home), recorded_by=actor)


@transaction.atomic
def medicine_give(*, actor, child: Child, given_at: dt.datetime | None, medicine: str, dose: str, handover=None,
                  illness: Illness | None = None, note: str = "") -> MedicineDose:
    """Record medicine given at school. With ``handover`` (the parents' request at drop-off, same child and day)
    the medicine and dose default to the request's; without one, ``note`` must say who agreed to it."""
    _require(actor, MedicineDose, child)
    errors = _moment_errors(child, given_at, "given_at")
    medicine, dose, note = _text(medicine, 200), _text(dose, 100), _text(note, 300)
    if handover is not None:
        if handover.child_id != child.pk:
            errors["handover"] = [_("The parents' request is for another child.")]
        elif given_at is not None and handover.date != timezone.localdate(given_at):
            errors["handover"] = [_("The parents' request was made on %(date)s, not on the day the medicine "
                                    "was given.") % {"date": _fmt(handover.date)}]
        elif not handover.medicine:
            errors["handover"] = [_("No medicine was requested at drop-off that day.")]
        else:
            medicine = medicine or handover.medicine
            dose = dose or handover.medicine_dose
    elif not note:
        errors["note"] = [_("Without the parents' request at drop-off, say who agreed to the medicine.")]
    if illness is not None and illness.child_id != child.pk:
        errors["illness"] = [_("The illness recorded is another child's.")]
    if not medicine:
        errors["medicine"] = [_("Name the medicine.")]
    if not dose:
        errors["dose"] = [_("Give the dose.")]
    if errors:
        raise ValidationError(errors)
    day = timezone.localdate(given_at)
    return MedicineDose.objects.create(school_id=child.school_id, child=child, group=group_on(child, day),
                                       handover=handover, illness=illness, given_at=given_at, medicine=medicine,
                                       dose=dose, note=note, given_by=actor)
