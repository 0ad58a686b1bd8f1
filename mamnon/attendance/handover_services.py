"""Handovers (đón - trả trẻ), guardians' PINs, absence requests and incidents: writes, and the reads they need.

Seed 000 and 002 ask that "teacher and parent confirm in writing, every day, the child's state of health at
drop-off and pick-up" ("ký xác nhận hằng ngày giữa giáo viên và phụ huynh về tình trạng sức khỏe của trẻ khi
đón - trả trẻ"); Thông tư 52/2020 (Điều lệ trường mầm non), Điều 22 makes the school responsible for handing
the child back only to the family or the people it authorises. This module is the paper book's replacement.

Every write runs in ``transaction.atomic`` with the acting user recorded in the change log (the models'
history). Access is decided by ``core.scoping``: a write is verified with ``Model.objects.for_user(actor,
"change")`` on the row it wrote, inside the transaction, so a refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mamnon.attendance.models import AbsenceRequest, Handover, Incident
from mamnon.children.models import AuthorisedPickup, Child, ChildStatus, Enrolment, Group, Guardian
from mamnon.core import clock, scoping
from mamnon.core.roles import SCHOOL_MANAGER_ROLES, SCHOOL_ROLES, SCHOOL_STAFF_ROLES
from mamnon.org.models import School

# A reading outside this range is a mistyped or faulty thermometer, not a child's temperature.
TEMPERATURE_MIN = Decimal("34.0")
TEMPERATURE_MAX = Decimal("42.0")
# Wrong PINs allowed per handover (one child, one day) before PIN confirmation locks until the next day.
PIN_MAX_ATTEMPTS = 5
PIN_FAILED = "pin-failed"  # history_change_reason of the audit row written for each wrong PIN
PIN_RE = re.compile(r"^\d{4}$")
# A drawn signature arrives as SVG path data ("M x y L x y ..."); nothing else is accepted or stored.
SIGNATURE_MAX_CHARS = 20_000
SIGNATURE_MIN_POINTS = 3
SIGNATURE_WIDTH, SIGNATURE_HEIGHT = 300, 120
_NUM = r"-?\d{1,4}(?:\.\d{1,2})?"
SIGNATURE_RE = re.compile(rf"^(?:\s*[MLml]\s*{_NUM}[\s,]+{_NUM})+\s*$")
SIGNATURE_POINT_RE = re.compile(rf"[MLml]\s*{_NUM}[\s,]+{_NUM}")
# Absence requests: from today, at most this long and this far ahead (a local choice, not a regulation).
ABSENCE_MAX_DAYS = 31
ABSENCE_MAX_AHEAD_DAYS = 90
# Clocks of phones and servers differ a little: times this far in the future are still accepted.
CLOCK_SLACK = dt.timedelta(minutes=10)


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _local_time(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


# --- who may do what (composed from core.scoping's grants) --------------------------------------------


def is_school_manager(user, school_id: int) -> bool:
    """Principal or vice-principal of the school (or an administrator): may override a pick-up refusal."""
    if scoping.is_admin(user):
        return True
    return any(g.role in SCHOOL_MANAGER_ROLES and g.unit_id == school_id for g in scoping.grants(user))


def is_school_staff(user) -> bool:
    """Holds a school staff role somewhere (the handover book is a staff page; parents use the portal)."""
    return scoping.is_admin(user) or bool(scoping.roles_of(user) & SCHOOL_STAFF_ROLES)


def may_record_handovers(user, group: Group) -> bool:
    """Would ``Handover.objects.for_user(user, "change")`` reach a row of this group?

    The same rule for a row that does not exist yet: Handover.scope_change_roles at the group's school,
    teachers only for the groups they teach (scoping's narrowing). The services verify each written row
    with scoping itself; this answers the page's question "show the forms?".
    """
    return scoping.reaches_group(
        user, Handover.scope_change_roles, school_path=group.school.unit.path,
        teaches=lambda: scoping.teacher_group_ids(user).filter(group_id=group.pk).exists(),
    )


def child_visible_schools(user) -> set[int] | None:
    """Schools whose incidents name the child to the user (None: every school). Offices read incidents for the
    INCIDENTS indicator without the children's names (Nghị định 13/2023 on personal data)."""
    if scoping.is_admin(user):
        return None
    return {g.unit_id for g in scoping.grants(user) if g.role in SCHOOL_ROLES}


def _verify_change(actor, model, pk) -> None:
    """Inside the transaction: the written row must be one the actor may change, or everything rolls back."""
    if not scoping.restrict(model.objects.filter(pk=pk), actor, scoping.CHANGE).exists():
        raise PermissionDenied(_("You may not record this."))


# --- reads (the rows the pages and the API show) ------------------------------------------------------


def enrolled_q(day: dt.date, prefix: str = "") -> Q:
    """Enrolments covering ``day`` (the end date is the last day in the group)."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def children_of_group_day(*, user, group: Group, day: dt.date) -> QuerySet:
    """The group's children on ``day`` (enrolled then, or with a handover recorded in the group), scoped."""
    enrolled = Enrolment.objects.filter(enrolled_q(day), group=group).values("child_id")
    recorded = Handover.objects.filter(group=group, date=day).values("child_id")
    qs = Child.objects.filter(Q(pk__in=enrolled) | Q(pk__in=recorded))
    return scoping.restrict(qs, user).order_by("name_folded", "birth_date", "pk")


def handovers_by_child(*, user, group: Group, day: dt.date) -> dict[int, Handover]:
    qs = scoping.restrict(Handover.objects.filter(group=group, date=day), user).select_related(
        "dropoff_by", "confirmed_by", "pickup_guardian", "pickup_person", "pickup_override_by"
    )
    return {h.child_id: h for h in qs}


def guardians_by_child(*, user, child_ids) -> dict[int, list[Guardian]]:
    out: dict[int, list[Guardian]] = {}
    for g in scoping.restrict(Guardian.objects.filter(child_id__in=child_ids), user):
        out.setdefault(g.child_id, []).append(g)
    return out


def pickups_by_child(*, user, child_ids) -> dict[int, list[AuthorisedPickup]]:
    out: dict[int, list[AuthorisedPickup]] = {}
    for p in scoping.restrict(AuthorisedPickup.objects.filter(child_id__in=child_ids), user):
        out.setdefault(p.child_id, []).append(p)
    return out


def pin_failures(handover: Handover) -> int:
    """Wrong PINs typed for this handover (each left an audit row; the handover is one child on one day)."""
    if handover.pk is None:
        return 0
    return Handover.history.filter(id=handover.pk, history_change_reason=PIN_FAILED).count()


def incident_schools(user) -> QuerySet:
    """Schools where the user may record incidents (Incident.scope_change_roles: the school's staff)."""
    qs = School.objects.select_related("unit").order_by("unit__name")
    if scoping.is_admin(user):
        return qs
    paths = scoping.scope_paths(user, set(Incident.scope_change_roles))
    if not paths:
        return qs.none()
    q = Q()
    for p in paths:
        q |= Q(unit__path__startswith=p)
    return scoping.restrict(qs.filter(q), user)


def signature_path(svg: str) -> str:
    """The path data of a stored signature (for drawing it again)."""
    match = re.search(r'\sd="([^"]*)"', svg or "")
    return match.group(1) if match else ""


# --- validation helpers ---------------------------------------------------------------------------------


def clean_temperature(value) -> Decimal | None:
    """A temperature in °C rounded to one decimal, or None; out of 34.0-42.0 °C is refused."""
    if value in (None, ""):
        return None
    try:
        temp = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"temperature": _("The temperature must be a number of degrees Celsius, like 36.8.")}
        ) from None
    if not temp.is_finite() or not (TEMPERATURE_MIN <= temp <= TEMPERATURE_MAX):
        raise ValidationError({"temperature": _(
            "Temperature %(value)s °C is outside the plausible range %(low)s–%(high)s °C: check the reading."
        ) % {"value": value, "low": TEMPERATURE_MIN, "high": TEMPERATURE_MAX}})
    return temp.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def validate_pin(pin: str, *, field: str = "pin") -> None:
    if not isinstance(pin, str) or not PIN_RE.match(pin):
        raise ValidationError({field: _("The PIN must be exactly 4 digits.")})


def _easy_pin(pin: str) -> bool:
    digits = [int(c) for c in pin]
    steps = {b - a for a, b in zip(digits, digits[1:], strict=False)}
    return len(set(digits)) == 1 or steps in ({1}, {-1})


def clean_signature(raw) -> str:
    """A drawn signature's path data, checked, turned into a small SVG document (what signature_svg stores)."""
    data = (raw or "").strip() if isinstance(raw, str) else ""
    if not data:
        raise ValidationError({"signature": _("The signature is empty: ask the guardian to sign in the box.")})
    if len(data) > SIGNATURE_MAX_CHARS:
        raise ValidationError({"signature": _(
            "The signature is too large (%(size)d characters, at most %(max)d): clear it and sign again."
        ) % {"size": len(data), "max": SIGNATURE_MAX_CHARS}})
    if not SIGNATURE_RE.match(data):
        raise ValidationError({"signature": _("The signature could not be read: clear it and sign again.")})
    if len(SIGNATURE_POINT_RE.findall(data)) < SIGNATURE_MIN_POINTS:
        raise ValidationError({"signature": _("The signature is empty: ask the guardian to sign in the box.")})
    path = " ".join(data.split())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIGNATURE_WIDTH} {SIGNATURE_HEIGHT}" '
        f'width="{SIGNATURE_WIDTH}" height="{SIGNATURE_HEIGHT}"><path d="{path}" fill="none" stroke="#000" '
        f'stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>'
    )


def _moment(day: dt.date, at: dt.datetime | dt.time | None, *, field: str = "time") -> dt.datetime:
    """The moment of a drop-off or pick-up on ``day``: now today, or the given time (required for past days)."""
    now = clock.now()
    if at is None:
        if day == clock.today():
            return now
        raise ValidationError({field: _("Give the time for a day other than today (%(day)s).") % {"day": _fmt(day)}})
    if isinstance(at, dt.time):
        at = timezone.make_aware(dt.datetime.combine(day, at))
    if timezone.localtime(at).date() != day:
        raise ValidationError({field: _("The time must be on %(day)s.") % {"day": _fmt(day)}})
    if at > now + CLOCK_SLACK:
        raise ValidationError({field: _("The time %(time)s is in the future.") % {"time": _local_time(at)}})
    return at


def may_record_day(user, group: Group, day: dt.date) -> bool:
    """The book is written on the day; only the principal or a vice-principal corrects an earlier day."""
    today = clock.today()
    return day == today or (day < today and is_school_manager(user, group.school_id))


def _check_day(actor, group: Group, day: dt.date) -> None:
    if day > clock.today():
        raise ValidationError({"date": _("Handovers cannot be recorded for a future day (%(day)s).")
                               % {"day": _fmt(day)}})
    if not may_record_day(actor, group, day):
        raise ValidationError({"date": _("The handovers of %(day)s can no longer be changed by a teacher; the "
                                         "principal or a vice-principal corrects earlier days.") % {"day": _fmt(day)}})


def _check_in_group(*, group: Group, child: Child, day: dt.date) -> None:
    if child.school_id != group.school_id or not Enrolment.objects.filter(
        enrolled_q(day), group=group, child=child
    ).exists():
        raise ValidationError({"child": _("%(child)s is not in group %(group)s on %(day)s.")
                               % {"child": child.full_name, "group": group.name, "day": _fmt(day)}})


def _handover_for(*, group: Group, child: Child, day: dt.date) -> Handover:
    handover, _created = Handover.objects.select_for_update().get_or_create(
        child=child, date=day, defaults={"school_id": group.school_id, "group": group}
    )
    if handover.group_id != group.pk:
        raise ValidationError({"child": _("%(child)s's handover of %(day)s is kept in another group.")
                               % {"child": child.full_name, "day": _fmt(day)}})
    return handover


DROPOFF_HEALTH_FIELDS = ("state", "temperature", "symptoms", "medicine", "medicine_dose", "medicine_time")


# --- drop-off ----------------------------------------------------------------------------------------------


def handover_dropoff(
    *, actor, group: Group, child: Child, day: dt.date, state: str = Handover.State.NORMAL, temperature=None,
    symptoms: str = "", medicine: str = "", medicine_dose: str = "", medicine_time: str = "",
    brought_by: Guardian | None = None, at: dt.datetime | dt.time | None = None,
) -> Handover:
    """Record (or correct) a child's drop-off: her state, temperature, symptoms, medicine, who brought her.

    Changing the state of a drop-off the guardian already confirmed withdraws the confirmation: the guardian
    confirmed what was written then, not what is written now.
    """
    errors: dict[str, list[str]] = {}

    def collect(fn, *args):
        try:
            return fn(*args)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
            return None

    collect(_check_day, actor, group, day)
    if state not in Handover.State.values:
        errors["state"] = [_("Choose the child's state: normal or unwell.")]
    temperature = collect(clean_temperature, temperature)
    symptoms, medicine = (symptoms or "").strip(), (medicine or "").strip()
    medicine_dose, medicine_time = (medicine_dose or "").strip(), (medicine_time or "").strip()
    if state == Handover.State.UNWELL and not symptoms:
        errors["symptoms"] = [_("Describe the symptoms of a child who is unwell.")]
    if medicine and not medicine_dose:
        errors["medicine_dose"] = [_("Give the dose of the medicine the parent asks the school to give.")]
    if medicine and not medicine_time:
        errors["medicine_time"] = [_("Give the time at which the medicine is to be given.")]
    if (medicine_dose or medicine_time) and not medicine:
        errors["medicine"] = [_("Name the medicine (a dose and time were given).")]
    if brought_by is not None and brought_by.child_id != child.pk:
        errors["brought_by"] = [_("%(name)s is not a guardian of %(child)s.")
                                % {"name": brought_by.full_name, "child": child.full_name}]
    moment = collect(_moment, day, at)
    if errors:
        raise ValidationError(errors)
    _check_in_group(group=group, child=child, day=day)
    with transaction.atomic():
        handover = _handover_for(group=group, child=child, day=day)
        new = {"state": state, "temperature": temperature, "symptoms": symptoms, "medicine": medicine,
               "medicine_dose": medicine_dose, "medicine_time": medicine_time}
        if handover.confirmed_at and any(getattr(handover, k) != v for k, v in new.items()):
            handover.confirmed_at = handover.confirmed_by = None
            handover.confirm_method = handover.signature_svg = ""
        for key, value in new.items():
            setattr(handover, key, value)
        handover.dropoff_at = moment
        handover.dropoff_by = brought_by
        handover.dropoff_recorded_by = actor
        if handover.pickup_at and handover.pickup_at < moment:
            raise ValidationError({"time": _("The drop-off time is after the pick-up time (%(time)s).")
                                   % {"time": _local_time(handover.pickup_at)}})
        handover._history_user = actor
        handover.save()
        _verify_change(actor, Handover, handover.pk)
    return handover


# --- the guardian confirms the drop-off -----------------------------------------------------------------


def _check_confirmable(handover: Handover) -> None:
    if handover.dropoff_at is None:
        raise ValidationError(_("The drop-off has not been recorded yet: the teacher records it first."))
    if handover.confirmed_at is not None:
        raise ValidationError(_("The drop-off was already confirmed at %(time)s.")
                              % {"time": _local_time(handover.confirmed_at)})
    if handover.date != clock.today():
        raise ValidationError(_("A drop-off can be confirmed only on its own day (%(day)s).")
                              % {"day": _fmt(handover.date)})


def _check_guardian(handover: Handover, guardian: Guardian | None) -> None:
    if guardian is None:
        raise ValidationError({"guardian": _("Choose the guardian who confirms.")})
    if guardian.child_id != handover.child_id:
        # A parent of another family: refused, and nothing about this child is said.
        raise ValidationError({"guardian": _(
            "This person is not registered as a guardian of this child: only the child's own guardians can "
            "confirm."
        )}, code="not_guardian")


def _confirm(handover: Handover, *, actor, guardian: Guardian, method: str, signature_svg: str = "") -> Handover:
    handover.confirmed_at = clock.now()
    handover.confirmed_by = guardian
    handover.confirm_method = method
    handover.signature_svg = signature_svg
    handover._history_user = actor
    handover.save(update_fields=["confirmed_at", "confirmed_by", "confirm_method", "signature_svg"])
    return handover


def handover_confirm_portal(*, actor, handover: Handover) -> Handover:
    """The parent confirms in the portal, as the guardian whose account they are logged in with."""
    guardian = Guardian.objects.filter(user_id=actor.pk, child_id=handover.child_id).first()
    # The guardian link, and a parent membership that still reaches the child (a suspended one does not).
    if guardian is None or not scoping.check(actor, scoping.VIEW, handover):
        raise ValidationError(
            _("You can confirm only the drop-off of your own children."), code="not_guardian"
        )
    with transaction.atomic():
        handover = Handover.objects.select_for_update().get(pk=handover.pk)
        _check_confirmable(handover)
        return _confirm(handover, actor=actor, guardian=guardian, method=Handover.Method.PORTAL)


def handover_confirm_pin(*, actor, handover: Handover, guardian: Guardian | None, pin: str) -> Handover:
    """The guardian types their 4-digit PIN on the teacher's phone.

    After PIN_MAX_ATTEMPTS wrong PINs for this handover the PIN is refused for the rest of the day (the
    guardian still confirms in the portal or with a signature). Each wrong PIN leaves an audit row.
    """
    if not scoping.check(actor, scoping.CHANGE, handover):
        raise PermissionDenied(_("You may not record this."))
    _check_guardian(handover, guardian)
    validate_pin(pin)
    with transaction.atomic():
        handover = Handover.objects.select_for_update().get(pk=handover.pk)
        _check_confirmable(handover)
        failures = pin_failures(handover)
        if failures >= PIN_MAX_ATTEMPTS:
            raise ValidationError({"pin": _(
                "Too many wrong PINs: PIN confirmation is locked for this child today. Confirm in the parent "
                "portal or with a signature."
            )}, code="pin_locked")
        if not guardian.pin_hash:
            raise ValidationError({"pin": _(
                "%(name)s has not set a PIN yet: they set it in the parent portal, or the principal sets it."
            ) % {"name": guardian.full_name}}, code="no_pin")
        if check_password(pin, guardian.pin_hash):
            return _confirm(handover, actor=actor, guardian=guardian, method=Handover.Method.PIN)
        Handover.history.bulk_history_create(
            [handover], update=True, default_user=actor, default_change_reason=PIN_FAILED
        )
    left = PIN_MAX_ATTEMPTS - failures - 1
    if left <= 0:
        raise ValidationError({"pin": _(
            "Wrong PIN. PIN confirmation is now locked for this child today: confirm in the parent portal or "
            "with a signature."
        )}, code="pin_locked")
    raise ValidationError({"pin": _("Wrong PIN. %(left)d attempt(s) left today.") % {"left": left}},
                          code="pin_wrong")


def handover_confirm_signature(*, actor, handover: Handover, guardian: Guardian | None, signature: str) -> Handover:
    """The guardian signs with a finger on the teacher's phone; the drawing is kept as a small SVG."""
    if not scoping.check(actor, scoping.CHANGE, handover):
        raise PermissionDenied(_("You may not record this."))
    _check_guardian(handover, guardian)
    svg = clean_signature(signature)
    with transaction.atomic():
        handover = Handover.objects.select_for_update().get(pk=handover.pk)
        _check_confirmable(handover)
        return _confirm(handover, actor=actor, guardian=guardian, method=Handover.Method.SIGNATURE,
                        signature_svg=svg)


# --- pick-up -------------------------------------------------------------------------------------------------


def handover_pickup(
    *, actor, group: Group, child: Child, day: dt.date, guardian: Guardian | None = None,
    person: AuthorisedPickup | None = None, other_name: str = "", override_reason: str = "", meals: str = "",
    nap: str = "", day_notes: str = "", at: dt.datetime | dt.time | None = None,
) -> Handover:
    """Record who collected the child and the day's notes.

    Only the child's guardians and the people authorised for that day may collect her (TT 52/2020, Điều 22:
    the school hands the child back to the family). Anyone else is refused, unless the principal or a
    vice-principal allows it with a reason; that decision is kept in the record and its history.
    """
    other_name = (other_name or "").strip()
    override_reason = (override_reason or "").strip()
    _check_day(actor, group, day)
    chosen = [x for x in (guardian, person, other_name) if x]
    if len(chosen) != 1:
        raise ValidationError({"collected_by": _("Choose one person who collects the child.")})
    if guardian is not None and guardian.child_id != child.pk:
        raise ValidationError({"collected_by": _("%(name)s is not a guardian of %(child)s.")
                               % {"name": guardian.full_name, "child": child.full_name}})
    if person is not None and person.child_id != child.pk:
        raise ValidationError({"collected_by": _("%(name)s is not on %(child)s's list of pick-up people.")
                               % {"name": person.full_name, "child": child.full_name}})
    off_list = bool(other_name) or (person is not None and not person.valid_on(day))
    if off_list:
        name = other_name or person.full_name
        if not is_school_manager(actor, group.school_id):
            if person is not None:
                message = _("%(name)s is not authorised to collect %(child)s on %(day)s (authorisation valid "
                            "%(from)s – %(to)s). Only the principal or a vice-principal can allow it, with a reason.")
                params = {"from": _fmt(person.valid_from) if person.valid_from else "…",
                          "to": _fmt(person.valid_to) if person.valid_to else "…"}
            else:
                message = _("%(name)s is not on the list of people who may collect %(child)s. Only the principal "
                            "or a vice-principal can allow it, with a reason.")
                params = {}
            raise ValidationError({"collected_by": message % {
                "name": name, "child": child.full_name, "day": _fmt(day), **params}}, code="not_authorised")
        if not override_reason:
            raise ValidationError({"override_reason": _(
                "%(name)s is not on the list: give the reason for letting them collect the child."
            ) % {"name": name}})
    moment = _moment(day, at)
    _check_in_group(group=group, child=child, day=day)
    with transaction.atomic():
        handover = _handover_for(group=group, child=child, day=day)
        if handover.dropoff_at and moment < handover.dropoff_at:
            raise ValidationError({"time": _("The pick-up time is before the drop-off time (%(time)s).")
                                   % {"time": _local_time(handover.dropoff_at)}})
        handover.pickup_at = moment
        handover.pickup_guardian = guardian
        handover.pickup_person = person
        handover.pickup_other_name = other_name
        handover.pickup_override_by = actor if off_list else None
        handover.pickup_override_reason = override_reason if off_list else ""
        handover.meals, handover.nap, handover.day_notes = (meals or "").strip(), (nap or "").strip(), \
            (day_notes or "").strip()
        handover.pickup_recorded_by = actor
        handover._history_user = actor
        handover.save()
        _verify_change(actor, Handover, handover.pk)
    return handover


# --- guardians' PINs -------------------------------------------------------------------------------------------


def guardian_set_pin(*, actor, guardians, pin: str) -> int:
    """Set the 4-digit PIN (stored hashed) of guardian rows: a parent their own rows (one per child), or the
    school's principal / vice-principal at enrolment. Returns how many rows were set."""
    validate_pin(pin)
    if _easy_pin(pin):
        raise ValidationError({"pin": _("This PIN is too easy to guess (like 1111 or 1234): choose another.")})
    guardians = list(guardians)
    if not guardians:
        raise ValidationError(_("No guardian record is linked to this account."))
    for g in guardians:
        if g.user_id != actor.pk and not is_school_manager(actor, g.school_id):
            raise PermissionDenied(_("Only the guardian or the school's principal can set this PIN."))
    pin_hash = make_password(pin)
    with transaction.atomic():
        for g in guardians:
            g.pin_hash = pin_hash
            g._history_user = actor
            g.save(update_fields=["pin_hash"])
    return len(guardians)


# --- absence requests ----------------------------------------------------------------------------------------


def absence_request_create(
    *, actor, child: Child, date_from: dt.date, date_to: dt.date, reason: str, sick: bool = False,
) -> AbsenceRequest:
    """A guardian (or the school's principal, taking a phone call) announces that the child will be away."""
    is_guardian = Guardian.objects.filter(user_id=actor.pk, child_id=child.pk).exists() and scoping.check(
        actor, scoping.VIEW, child)
    if not is_guardian and not is_school_manager(actor, child.school_id):
        raise PermissionDenied(_("You can ask for an absence only for your own children."))
    today = clock.today()
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Give the reason for the absence.")
    if date_from < today:
        errors["date_from"] = _("The absence cannot start in the past (%(day)s).") % {"day": _fmt(date_from)}
    elif date_from > today + dt.timedelta(days=ABSENCE_MAX_AHEAD_DAYS):
        errors["date_from"] = _("The absence can be announced at most %(n)d days ahead.") % {
            "n": ABSENCE_MAX_AHEAD_DAYS}
    if date_to < date_from:
        errors["date_to"] = _("The last day (%(to)s) is before the first day (%(from)s).") % {
            "to": _fmt(date_to), "from": _fmt(date_from)}
    elif (date_to - date_from).days + 1 > ABSENCE_MAX_DAYS:
        errors["date_to"] = _("An absence request covers at most %(n)d days; ask again for the rest.") % {
            "n": ABSENCE_MAX_DAYS}
    if child.status != ChildStatus.ENROLLED:
        errors["child"] = _("%(child)s is no longer enrolled.") % {"child": child.full_name}
    if errors:
        raise ValidationError(errors)
    overlap = AbsenceRequest.objects.filter(child=child, date_from__lte=date_to, date_to__gte=date_from).first()
    if overlap is not None:
        raise ValidationError({"date_from": _("An absence from %(from)s to %(to)s is already announced.") % {
            "from": _fmt(overlap.date_from), "to": _fmt(overlap.date_to)}})
    with transaction.atomic():
        request = AbsenceRequest(school_id=child.school_id, child=child, date_from=date_from, date_to=date_to,
                                 reason=reason, sick=bool(sick), requested_by=actor)
        request._history_user = actor
        request.save()
    return request


# --- incidents ----------------------------------------------------------------------------------------------

INCIDENT_FIELDS = ("child", "group", "occurred_at", "place", "what", "present", "first_aid",
                   "parents_informed_at", "follow_up", "serious")


def _clean_incident(school_id: int, data: dict) -> dict:
    now = clock.now()
    errors: dict[str, str] = {}
    for key in ("place", "what", "present", "first_aid", "follow_up"):
        if key in data:
            data[key] = (data[key] or "").strip()
    if not data.get("what"):
        errors["what"] = _("Describe what happened.")
    if not data.get("place"):
        errors["place"] = _("Say where it happened.")
    occurred = data.get("occurred_at")
    if occurred is None:
        errors["occurred_at"] = _("Give the date and time it happened.")
    elif occurred > now + CLOCK_SLACK:
        errors["occurred_at"] = _("The incident cannot be in the future.")
    informed = data.get("parents_informed_at")
    if informed is not None:
        if informed > now + CLOCK_SLACK:
            errors["parents_informed_at"] = _("The parents cannot have been informed in the future.")
        elif occurred is not None and informed < occurred:
            errors["parents_informed_at"] = _("The parents were informed before the incident happened?")
    child, group = data.get("child"), data.get("group")
    if child is not None and child.school_id != school_id:
        errors["child"] = _("%(child)s is not a child of this school.") % {"child": child.full_name}
    if group is not None and group.school_id != school_id:
        errors["group"] = _("Group %(group)s is not a group of this school.") % {"group": group.name}
    if errors:
        raise ValidationError(errors)
    data["serious"] = bool(data.get("serious"))
    return data


def incident_create(*, actor, school: School, **data) -> Incident:
    """Record an injury or accident at school (what, when, where, who was present, first aid, parents
    informed, follow-up). Teachers record incidents about the children of their groups."""
    unknown = set(data) - set(INCIDENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown incident fields: {sorted(unknown)}")
    data = _clean_incident(school.pk, dict(data))
    with transaction.atomic():
        incident = Incident(school=school, recorded_by=actor, **data)
        incident._history_user = actor
        incident.save()
        _verify_change(actor, Incident, incident.pk)
    return incident


def incident_update(*, actor, incident: Incident, **data) -> Incident:
    """Complete an incident: follow-up, parents informed, first aid (every change kept in its history)."""
    unknown = set(data) - set(INCIDENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown incident fields: {sorted(unknown)}")
    merged = {k: getattr(incident, k) for k in INCIDENT_FIELDS} | data
    merged = _clean_incident(incident.school_id, merged)
    with transaction.atomic():
        _verify_change(actor, Incident, incident.pk)
        for key, value in merged.items():
            setattr(incident, key, value)
        incident._history_user = actor
        incident.save()
        _verify_change(actor, Incident, incident.pk)
    return incident
