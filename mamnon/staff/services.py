"""Writes of the staff domain. Keyword-only, atomic, with the acting user; errors name the field.

``actor=None`` is a system job (demo data, tests' set-up): no role check. A caller without the right role
gets ``PermissionDenied``; bad input gets ``ValidationError({field: [message]})`` and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mamnon.calc import staff_ratings
from mamnon.children.models import Group, GroupTeacher
from mamnon.core import clock, scoping
from mamnon.core.models import normalize_phone, validate_vn_mobile
from mamnon.core.roles import OFFICER_ROLES, Role
from mamnon.org.models import School, SchoolYear, Staff
from mamnon.staff import selectors
from mamnon.staff.models import AnnualRating, StaffRecord, StandardRating, Training, TrainingLevel

RECORD_FIELDS = ("sex", "birth_date", "ethnicity", "employment", "hired_on", "joined_on", "title_grade",
                 "training_level", "major", "preschool_pedagogy", "in_upgrade_training", "upgraded_under_roadmap",
                 "party_member", "party_joined_on", "note")
STAFF_FIELDS = ("full_name", "position", "phone", "email", "active")
MIN_AGE, MAX_AGE = 18, 70  # working age of a school's staff (Bộ luật Lao động 2019; no teacher beyond 70)
MAX_TRAINING_HOURS = Decimal("2000")


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _today() -> dt.date:
    return clock.today()


def _require_manager(actor, school_id: int) -> None:
    if actor is not None and not selectors.is_school_manager(actor, school_id):
        raise PermissionDenied(_("Only the school's principal or vice-principals may do this."))


def _require_principal(actor, school_id: int) -> None:
    if actor is None or scoping.is_admin(actor):
        return
    if not any(g.role == Role.PRINCIPAL and g.unit_id == school_id for g in scoping.grants(actor)):
        raise PermissionDenied(_("Only the school's principal may decide this."))


def _require_office_above(actor, school: School) -> None:
    """Principals are rated by the office that manages the school (an officer of a unit above it)."""
    if actor is None or scoping.is_admin(actor):
        return
    path = school.unit.path
    if not any(g.role in OFFICER_ROLES and path.startswith(g.path) and g.path != path for g in scoping.grants(actor)):
        raise PermissionDenied(_("Only the office that manages the school may decide a principal's rating."))


# --- staff records -------------------------------------------------------------------------------------


def _years_between(a: dt.date, b: dt.date) -> int:
    return b.year - a.year - ((b.month, b.day) < (a.month, a.day))


def check_record_dates(values: dict, *, today: dt.date | None = None) -> None:
    """Impossible dates: in the future, a staff member younger than 18 or older than 70, recruited before 18,
    at the school before being recruited, a party member before 18."""
    today = today or _today()
    errors: dict[str, list[str]] = {}
    labels = {"birth_date": _("Date of birth"), "hired_on": _("Recruited on"), "joined_on": _("At this school since"),
              "party_joined_on": _("Party member since")}
    for key, label in labels.items():
        day = values.get(key)
        if day is not None and day > today:
            errors.setdefault(key, []).append(_("%(field)s: %(date)s is in the future.") % {
                "field": label, "date": _fmt(day)})
    born = values.get("birth_date")
    if born is not None and born <= today:
        age = _years_between(born, today)
        if not MIN_AGE <= age <= MAX_AGE:
            errors.setdefault("birth_date", []).append(_(
                "Date of birth: a staff member born on %(date)s would be %(age)d years old; enter a date giving "
                "an age from %(min)d to %(max)d.") % {"date": _fmt(born), "age": age, "min": MIN_AGE, "max": MAX_AGE})
        for key in ("hired_on", "party_joined_on"):
            day = values.get(key)
            if day is not None and day <= today and _years_between(born, day) < MIN_AGE:
                errors.setdefault(key, []).append(_("%(field)s: %(date)s is before the person turned %(min)d.") % {
                    "field": labels[key], "date": _fmt(day), "min": MIN_AGE})
    hired, joined = values.get("hired_on"), values.get("joined_on")
    if hired and joined and joined < hired:
        errors.setdefault("joined_on", []).append(_(
            "At this school since: %(joined)s is before the recruitment date %(hired)s.") % {
            "joined": _fmt(joined), "hired": _fmt(hired)})
    if values.get("party_joined_on") and not values.get("party_member"):
        errors.setdefault("party_joined_on", []).append(_(
            "Party member since: give this date only for a party member."))
    if errors:
        raise ValidationError(errors)


def _clean_staff_fields(fields: dict) -> dict:
    out = dict(fields)
    if "full_name" in out:
        out["full_name"] = " ".join((out["full_name"] or "").split())
        if not out["full_name"]:
            raise ValidationError({"full_name": _("Full name: this field is required.")})
    if "position" in out and out["position"] not in Staff.Position.values:
        raise ValidationError({"position": _("Position: choose one of the list.")})
    if out.get("phone"):
        try:
            validate_vn_mobile(out["phone"])
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc
        out["phone"] = normalize_phone(out["phone"])
    return out


@transaction.atomic
def record_save(*, actor, school: School | None = None, staff: Staff | None = None, **fields) -> StaffRecord:
    """Create a staff member of ``school`` with her record, or change ``staff``'s (only the fields given)."""
    unknown = set(fields) - set(RECORD_FIELDS) - set(STAFF_FIELDS)
    if unknown:
        raise TypeError(f"record_save: unknown fields {sorted(unknown)}")
    if staff is None:
        if school is None:
            raise ValidationError({"school": _("School: this field is required.")})
        _require_manager(actor, school.pk)
        staff_fields = _clean_staff_fields({k: fields[k] for k in STAFF_FIELDS if k in fields})
        if "full_name" not in staff_fields:
            raise ValidationError({"full_name": _("Full name: this field is required.")})
        record = StaffRecord(school=school)
        staff = Staff(unit_id=school.pk, **staff_fields)
    else:
        staff = Staff.objects.select_for_update().get(pk=staff.pk)
        if not School.objects.filter(pk=staff.unit_id).exists():
            raise ValidationError({"school": _("This person does not work at a school.")})
        _require_manager(actor, staff.unit_id)
        for key, value in _clean_staff_fields({k: fields[k] for k in STAFF_FIELDS if k in fields}).items():
            setattr(staff, key, value)
        record = StaffRecord.objects.filter(pk=staff.pk).first() or StaffRecord(school_id=staff.unit_id)
    for key in RECORD_FIELDS:
        if key in fields:
            value = fields[key]
            if value is None and key not in {"birth_date", "hired_on", "joined_on", "party_joined_on"}:
                continue
            setattr(record, key, value if value is not None else None)
    values = {k: getattr(record, k) for k in RECORD_FIELDS}
    check_record_dates(values)
    if record.training_level not in TrainingLevel.values:
        raise ValidationError({"training_level": _("Training level: choose one of the list.")})
    staff.full_clean(exclude=["unit", "user"])
    staff._history_user = actor
    staff.save()
    record.staff = staff
    record.school_id = staff.unit_id
    record.full_clean(exclude=["staff", "school"])
    record._history_user = actor
    record.save()
    return record


# --- professional-standard ratings ---------------------------------------------------------------------


def _rating_errors(exc: staff_ratings.RatingError, field: str) -> ValidationError:
    parts = []
    if exc.missing:
        parts.append(_("criteria %(list)s have no level") % {"list": ", ".join(map(str, exc.missing))})
    if exc.invalid:
        parts.append(_("criteria %(list)s have a level that is not 0-3") % {"list": ", ".join(map(str, exc.invalid))})
    if exc.extra:
        parts.append(_("%(n)d criteria too many") % {"n": exc.extra})
    return ValidationError({field: _("Rating refused: %(problems)s. Give every criterion a level (0 Not met, "
                                     "1 Met, 2 Good, 3 Excellent).") % {"problems": "; ".join(parts)}})


def _standard_for(staff: Staff, standard: str) -> None:
    wanted = StandardRating.Standard.PRINCIPAL if staff.position in selectors.MANAGER_POSITIONS else (
        StandardRating.Standard.TEACHER if staff.position == Staff.Position.TEACHER else None)
    if wanted is None:
        raise ValidationError({"standard": _("Standard: %(name)s is neither a teacher nor a manager.") % {
            "name": staff.full_name}})
    if standard != wanted:
        raise ValidationError({"standard": _("Standard: %(name)s is rated against the %(wanted)s.") % {
            "name": staff.full_name, "wanted": StandardRating.Standard(wanted).label}})


def _overall(levels, *, standard: str, year: SchoolYear, school: School, field: str) -> tuple[list[int], int]:
    spec = selectors.rating_spec(standard, on=year.end_date, unit=school.unit)
    try:
        checked = staff_ratings.check_levels(levels, spec)
        return checked, staff_ratings.overall(checked, spec)
    except staff_ratings.RatingError as exc:
        raise _rating_errors(exc, field) from exc


def _school_of(staff: Staff) -> School:
    school = School.objects.select_related("unit").filter(pk=staff.unit_id).first()
    if school is None:
        raise ValidationError({"staff": _("This person does not work at a school.")})
    return school


@transaction.atomic
def rating_self_assess(*, actor, staff: Staff, school_year: SchoolYear, standard: str, levels) -> StandardRating:
    """The person's own assessment, criterion by criterion (first step of TT 26/2018 Điều 10 khoản 1)."""
    school = _school_of(staff)
    if actor is not None and staff.user_id != actor.pk:
        _require_manager(actor, school.pk)  # managers type in a paper self-assessment
    _standard_for(staff, standard)
    checked, result = _overall(levels, standard=standard, year=school_year, school=school, field="self_levels")
    rating, _created = StandardRating.objects.select_for_update().get_or_create(
        staff=staff, school_year=school_year, standard=standard, defaults={"school": school})
    if rating.decided_at is not None:
        raise ValidationError({"self_levels": _("The rating for %(year)s has been decided; the self-assessment can "
                                                "no longer change.") % {"year": school_year.code}})
    rating.self_levels, rating.self_overall, rating.self_assessed_at = checked, result, clock.now()
    rating._history_user = actor
    rating.save()
    return rating


@transaction.atomic
def rating_decide(*, actor, staff: Staff, school_year: SchoolYear, standard: str, levels, note: str = "",
                  require_self: bool = True) -> StandardRating:
    """The decision after the self-assessment: by the principal (teachers, TT 26/2018 Điều 10 khoản 1 điểm c),
    by the managing office (principals and vice-principals, TT 25/2018)."""
    school = _school_of(staff)
    _standard_for(staff, standard)
    if standard == StandardRating.Standard.TEACHER:
        _require_principal(actor, school.pk)
    else:
        _require_office_above(actor, school)
    checked, result = _overall(levels, standard=standard, year=school_year, school=school, field="levels")
    rating = StandardRating.objects.select_for_update().filter(staff=staff, school_year=school_year,
                                                               standard=standard).first()
    if rating is None or (require_self and rating.self_overall is None):
        if require_self and actor is not None:
            raise ValidationError({"levels": _("%(name)s has no self-assessment for %(year)s yet: the self-assessment "
                                               "comes first.") % {"name": staff.full_name, "year": school_year.code}})
        rating = rating or StandardRating(staff=staff, school_year=school_year, standard=standard, school=school)
    rating.levels, rating.overall, rating.note = checked, result, (note or "").strip()
    rating.decided_by, rating.decided_at = actor, clock.now()
    rating._history_user = actor
    rating.save()
    return rating


@transaction.atomic
def annual_rating_set(*, actor, staff: Staff, school_year: SchoolYear, result: str, note: str = "") -> AnnualRating:
    """The civil-servant rating of the year (Nghị định 90/2020/NĐ-CP), decided by the principal."""
    school = _school_of(staff)
    _require_principal(actor, school.pk)
    if result not in AnnualRating.Result.values:
        raise ValidationError({"result": _("Result: choose one of the list.")})
    row, _created = AnnualRating.objects.select_for_update().get_or_create(
        staff=staff, school_year=school_year, defaults={"school": school, "result": result})
    row.result, row.note, row.decided_by = result, (note or "").strip(), actor
    row._history_user = actor
    row.save()
    return row


# --- training ------------------------------------------------------------------------------------------


@transaction.atomic
def training_add(*, actor, staff: Staff, course: str, topic: str, hours, start_date: dt.date, end_date: dt.date,
                 provider: str = "", certificate: bool = False) -> Training:
    school = _school_of(staff)
    _require_manager(actor, school.pk)
    errors: dict[str, list[str]] = {}
    course = " ".join((course or "").split())
    if not course:
        errors["course"] = [_("Course: this field is required.")]
    if topic not in Training.Topic.values:
        errors["topic"] = [_("Topic: choose one of the list.")]
    try:
        hours = Decimal(str(hours))
        if not Decimal(0) < hours <= MAX_TRAINING_HOURS:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["hours"] = [_("Hours: enter a number above 0 and at most %(max)s.") % {"max": MAX_TRAINING_HOURS}]
    if start_date is None:
        errors["start_date"] = [_("From: this field is required.")]
    if end_date is None:
        errors["end_date"] = [_("To: this field is required.")]
    elif start_date is not None and end_date < start_date:
        errors["end_date"] = [_("To: %(end)s is before %(start)s.") % {"end": _fmt(end_date),
                                                                       "start": _fmt(start_date)}]
    if errors:
        raise ValidationError(errors)
    row = Training(staff=staff, school=school, course=course, topic=topic, hours=hours, start_date=start_date,
                   end_date=end_date, provider=(provider or "").strip(), certificate=bool(certificate))
    row._history_user = actor
    row.save()
    return row


# --- assignments ---------------------------------------------------------------------------------------


@transaction.atomic
def teacher_assign(*, actor, staff: Staff, group: Group, lead: bool = False) -> GroupTeacher:
    """Assign a teacher to a group of her own school (the school of the group must be hers)."""
    _require_manager(actor, staff.unit_id)
    if staff.unit_id != group.school_id:
        raise ValidationError({"group": _("Group: %(group)s belongs to another school than %(name)s's; a teacher is "
                                          "assigned only to groups of her own school.") % {
            "group": group.name, "name": staff.full_name}})
    if not staff.active:
        raise ValidationError({"staff": _("%(name)s no longer works at the school.") % {"name": staff.full_name}})
    if staff.position not in selectors.COVERED_POSITIONS:
        raise ValidationError({"staff": _("%(name)s is not a teacher.") % {"name": staff.full_name}})
    if lead:
        GroupTeacher.objects.filter(group=group).update(is_lead=False)
    row, created = GroupTeacher.objects.get_or_create(group=group, staff=staff,
                                                      defaults={"school_id": group.school_id, "is_lead": lead})
    if not created and row.is_lead != lead:
        row.is_lead = lead
        row.save(update_fields=["is_lead"])
    return row


@transaction.atomic
def teacher_unassign(*, actor, staff: Staff, group: Group) -> None:
    _require_manager(actor, group.school_id)
    GroupTeacher.objects.filter(group=group, staff=staff).delete()
