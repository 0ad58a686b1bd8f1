"""Writes for children, guardians, groups and enrolment. Each runs atomically and records the acting user.

Keyword-only, named ``<entity>_<action>`` or after the school's own words for the step (admit, move, release
for transfer, accept, leave, finish, roll over). Errors are ``ValidationError`` with a dict naming the field
(views put them on the form field, the API answers 400 with the same keys); a caller without the right
role gets ``PermissionDenied``. ``actor=None`` is a system job (demo data): no role check, and nothing that
needs a deciding person (overrides, transfers) is allowed.

Enrolment dates are inclusive: ``end_date`` is the child's last day in the group. A move on day D ends the
old enrolment on D-1 and starts the new one on D.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from mamnon.calc import ages
from mamnon.children import selectors
from mamnon.children.ethnicity import KINH
from mamnon.children.models import (
    AuthorisedPickup,
    Child,
    ChildStatus,
    ChildSupport,
    Enrolment,
    Group,
    GroupTeacher,
    Guardian,
    RuleOverride,
    Transfer,
    validate_personal_id,
)
from mamnon.core import clock, scoping
from mamnon.core.models import normalize_phone, validate_vn_mobile
from mamnon.core.roles import SCHOOL_MANAGER_ROLES, Role
from mamnon.org.models import School, SchoolYear, Site, Staff

ONE_DAY = dt.timedelta(days=1)
# A preschool takes children up to the year they turn 6; a child aged 7 or more at the start of the school
# year belongs in primary school (children with disabilities may enrol somewhat older, Thông tư 03/2018, so
# the limit is 7 rather than 6).
MAX_AGE_MONTHS = 7 * 12
# The consent text guardians agree to (Nghị định 13/2023/NĐ-CP on personal data protection, Điều 11: consent
# must be recorded in a form that can be proven). A new wording gets a new version.
CONSENT_VERSION = "ND13-2023/v1"
SUPPORT_FIELDS = ("disability_type", "disability_level", "poor_household", "near_poor_household",
                  "ethnic_minority_disadvantaged", "orphan")
CHILD_FIELDS = ("full_name", "birth_date", "sex", "ethnicity", "personal_id", "address", "residence_commune",
                "photo")
MIN_REASON = 5


# --- who may ----------------------------------------------------------------------------------------


def _roles_at(actor, school_id: int) -> set[str]:
    return {g.role for g in scoping.grants(actor) if g.unit_id == school_id}


def is_school_manager(actor, school_id: int) -> bool:
    return actor is not None and (scoping.is_admin(actor) or bool(_roles_at(actor, school_id) & SCHOOL_MANAGER_ROLES))


def is_principal(actor, school_id: int) -> bool:
    return actor is not None and (scoping.is_admin(actor) or Role.PRINCIPAL in _roles_at(actor, school_id))


def _require_manager(actor, school_id: int) -> None:
    if actor is not None and not is_school_manager(actor, school_id):
        raise PermissionDenied(_("Only the school's principal or vice-principals may do this."))


def _require_principal(actor, school_id: int) -> None:
    if actor is None or not is_principal(actor, school_id):
        raise PermissionDenied(_("Only the school's principal may decide this."))


def _reason(reason: str | None, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError({field: _("Reason: write why (at least %(n)d characters).") % {"n": MIN_REASON}})
    return reason


def _today() -> dt.date:
    return clock.today()


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- children ---------------------------------------------------------------------------------------


def check_birth_date(born: dt.date | None, *, year: SchoolYear | None = None, today: dt.date | None = None) -> None:
    """Impossible dates of birth: in the future, or a child aged 7 or more at the start of the school year."""
    if born is None:
        raise ValidationError({"birth_date": _("Date of birth: this field is required.")})
    today = today or _today()
    if born > today:
        raise ValidationError({"birth_date": _("Date of birth: %(date)s is in the future.") % {"date": _fmt(born)}})
    year = year or selectors.current_school_year()
    start = year.start_date if year is not None else today
    if ages.months_between(born, start) >= MAX_AGE_MONTHS:
        raise ValidationError({"birth_date": _(
            "Date of birth: a child born on %(date)s is 7 years old or older on %(start)s, the start of the school "
            "year; preschool ends at 6.") % {"date": _fmt(born), "start": _fmt(start)}})


def _check_personal_id(value: str | None, *, exclude_pk=None) -> str | None:
    value = (value or "").strip() or None
    if value is None:
        return None
    try:
        validate_personal_id(value)
    except ValidationError as exc:
        raise ValidationError({"personal_id": exc.messages}) from exc
    clash = Child.objects.filter(personal_id=value)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        # Which child holds it is not said: it may be at a school the user cannot see.
        raise ValidationError({"personal_id": _(
            "Personal identification number: %(value)s is already recorded for another child.") % {"value": value}})
    return value


def _save_child(child: Child, actor) -> Child:
    child.full_clean(exclude=["personal_id", "school", "residence_commune", "name_folded"])
    child._history_user = actor
    try:
        with transaction.atomic():
            child.save()
    except IntegrityError as exc:  # two users saving the same number at once
        raise ValidationError({"personal_id": _(
            "Personal identification number: already recorded for another child.")}) from exc
    return child


def _save_support(child: Child, support: dict, actor) -> ChildSupport | None:
    row = ChildSupport.objects.filter(child=child).first()
    if row is None:
        if not any(support.get(k) for k in SUPPORT_FIELDS):
            return None  # nothing to keep: no empty row
        row = ChildSupport(child=child)
    row.school_id = child.school_id
    for key in SUPPORT_FIELDS:
        if key in support:
            setattr(row, key, support[key] if support[key] is not None else ("" if key.startswith("disab") else False))
    if row.disability_level and not row.disability_type:
        raise ValidationError({"disability_type": _("Type of disability: give the type when a level is given.")})
    row.full_clean(exclude=["child", "school"])
    row._history_user = actor
    row.save()
    return row


@transaction.atomic
def child_create(
    *, actor, school: School, full_name: str, birth_date: dt.date, sex: str, ethnicity: str = KINH,
    personal_id: str | None = None, address: str = "", residence_commune=None, photo=None,
    support: dict | None = None, year: SchoolYear | None = None,
) -> Child:
    """A new child at ``school`` (not yet in a group: see ``admit``), with her support data when given."""
    _require_manager(actor, school.pk)
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": _("Full name: this field is required.")})
    check_birth_date(birth_date, year=year)
    child = Child(school=school, full_name=full_name, birth_date=birth_date, sex=sex, ethnicity=ethnicity or KINH,
                  personal_id=_check_personal_id(personal_id), address=address or "",
                  residence_commune=residence_commune)
    if photo:
        child.photo = photo
    _save_child(child, actor)
    if support:
        _save_support(child, support, actor)
    return child


@transaction.atomic
def child_update(*, actor, child: Child, support: dict | None = None, year: SchoolYear | None = None,
                 **fields) -> Child:
    """Change a child's own record (and her support data when ``support`` is given)."""
    child = Child.objects.select_for_update().get(pk=child.pk)
    _require_manager(actor, child.school_id)
    unknown = set(fields) - set(CHILD_FIELDS)
    if unknown:
        raise TypeError(f"child_update: unknown fields {sorted(unknown)}")
    if "full_name" in fields:
        fields["full_name"] = " ".join((fields["full_name"] or "").split())
        if not fields["full_name"]:
            raise ValidationError({"full_name": _("Full name: this field is required.")})
    if "birth_date" in fields and fields["birth_date"] != child.birth_date:
        check_birth_date(fields["birth_date"], year=year)
    if "personal_id" in fields:
        fields["personal_id"] = _check_personal_id(fields["personal_id"], exclude_pk=child.pk)
    for key, value in fields.items():
        if key == "photo" and not value:
            continue
        setattr(child, key, value)
    _save_child(child, actor)
    if support is not None:
        _save_support(child, support, actor)
    return child


def _clean_phone(phone: str | None, field: str = "phone") -> str:
    phone = (phone or "").strip()
    if not phone:
        return ""
    try:
        validate_vn_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({field: [_("Mobile phone: %(msg)s") % {"msg": m} for m in exc.messages]}) from exc
    return normalize_phone(phone)


@transaction.atomic
def guardian_add(
    *, actor, child: Child, full_name: str, relation: str, phone: str = "", user=None, is_primary: bool = False,
    consent: bool = False, consent_version: str = CONSENT_VERSION,
) -> Guardian:
    """A parent or guardian of ``child``. ``consent`` records, with the time and the text's version, that the
    guardian agreed to the processing of the child's and the family's personal data (Nghị định 13/2023)."""
    _require_manager(actor, child.school_id)
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": _("Guardian's full name: this field is required.")})
    if relation not in Guardian.Relation.values:
        raise ValidationError({"relation": _("Relation: choose mother, father, grandparent or other guardian.")})
    guardian = Guardian(child=child, school_id=child.school_id, full_name=full_name, relation=relation,
                        phone=_clean_phone(phone), user=user, is_primary=is_primary)
    if consent:
        guardian.consent_at = clock.now()
        guardian.consent_version = consent_version
    if is_primary:
        Guardian.objects.filter(child=child, is_primary=True).update(is_primary=False)
    elif not Guardian.objects.filter(child=child).exists():
        guardian.is_primary = True  # the first guardian is the contact until another is chosen
    guardian.full_clean(exclude=["child", "school", "user"])
    guardian._history_user = actor
    guardian.save()
    return guardian


@transaction.atomic
def guardian_update(
    *, actor, guardian: Guardian, full_name: str | None = None, relation: str | None = None,
    phone: str | None = None, is_primary: bool | None = None, consent: bool | None = None,
    consent_version: str = CONSENT_VERSION,
) -> Guardian:
    """Change a guardian; giving ``consent=True`` records it now (once), ``False`` withdraws it."""
    guardian = Guardian.objects.select_for_update().get(pk=guardian.pk)
    _require_manager(actor, guardian.school_id)
    if full_name is not None:
        full_name = " ".join(full_name.split())
        if not full_name:
            raise ValidationError({"full_name": _("Guardian's full name: this field is required.")})
        guardian.full_name = full_name
    if relation is not None:
        if relation not in Guardian.Relation.values:
            raise ValidationError({"relation": _("Relation: choose mother, father, grandparent or other guardian.")})
        guardian.relation = relation
    if phone is not None:
        guardian.phone = _clean_phone(phone)
    if is_primary:
        Guardian.objects.filter(child_id=guardian.child_id, is_primary=True).exclude(pk=guardian.pk).update(
            is_primary=False)
        guardian.is_primary = True
    elif is_primary is False:
        guardian.is_primary = False
    if consent and guardian.consent_at is None:
        guardian.consent_at = clock.now()
        guardian.consent_version = consent_version
    elif consent is False:
        guardian.consent_at = None
        guardian.consent_version = ""
    guardian.full_clean(exclude=["child", "school", "user"])
    guardian._history_user = actor
    guardian.save()
    return guardian


@transaction.atomic
def pickup_add(
    *, actor, child: Child, full_name: str, relation: str = "", phone: str = "", photo=None,
    valid_from: dt.date | None = None, valid_to: dt.date | None = None,
) -> AuthorisedPickup:
    """Someone other than a guardian allowed to collect the child, for a period when given."""
    _require_manager(actor, child.school_id)
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": _("Full name: this field is required.")})
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("Valid to: %(to)s is before the start of the period, %(from)s.")
                               % {"to": _fmt(valid_to), "from": _fmt(valid_from)}})
    pickup = AuthorisedPickup(child=child, school_id=child.school_id, full_name=full_name, relation=relation or "",
                              phone=_clean_phone(phone), valid_from=valid_from, valid_to=valid_to)
    if photo:
        pickup.photo = photo
    pickup.full_clean(exclude=["child", "school"])
    pickup._history_user = actor
    pickup.save()
    return pickup


# --- groups -----------------------------------------------------------------------------------------


def _check_teachers(school_id: int, teachers) -> list[Staff]:
    teachers = list(teachers or [])
    wrong = [t for t in teachers if t.unit_id != school_id or not t.active]
    if wrong:
        raise ValidationError({"teachers": _("Teachers: %(names)s do not work at this school.")
                               % {"names": ", ".join(t.full_name for t in wrong)}})
    return teachers


def _set_teachers(group: Group, teachers: list[Staff], lead: Staff | None) -> None:
    if lead is not None and lead not in teachers:
        teachers.append(lead)
    if lead is None and teachers:
        lead = teachers[0]  # Điều lệ: with 2 or more teachers, one is the main responsible teacher
    keep = {t.pk for t in teachers}
    GroupTeacher.objects.filter(group=group).exclude(staff_id__in=keep).delete()
    existing = {gt.staff_id: gt for gt in GroupTeacher.objects.filter(group=group)}
    for t in teachers:
        is_lead = lead is not None and t.pk == lead.pk
        gt = existing.get(t.pk)
        if gt is None:
            GroupTeacher.objects.create(group=group, staff=t, school_id=group.school_id, is_lead=is_lead)
        elif gt.is_lead != is_lead:
            gt.is_lead = is_lead
            gt.save(update_fields=["is_lead"])


def _check_group_fields(*, school_id: int, name: str, school_year, site, exclude_pk=None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Name: this field is required.")})
    clash = Group.objects.filter(school_id=school_id, school_year=school_year, name__iexact=name)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("Name: the school already has a group called %(name)s in %(year)s.")
                               % {"name": name, "year": school_year.code}})
    if site is not None and site.school_id != school_id:
        raise ValidationError({"site": _("Site: this site belongs to another school.")})
    return name


@transaction.atomic
def group_create(
    *, actor, school: School, school_year: SchoolYear, name: str, age_band: str, site: Site | None = None,
    full_day: bool = True, semi_boarding: bool = True, english: bool = False, teachers=(), lead: Staff | None = None,
) -> Group:
    """A creche group or kindergarten class of one school year, with its teachers (staff of the school)."""
    _require_manager(actor, school.pk)
    name = _check_group_fields(school_id=school.pk, name=name, school_year=school_year, site=site)
    teachers = _check_teachers(school.pk, teachers)
    if lead is not None:
        _check_teachers(school.pk, [lead])
    group = Group(school=school, school_year=school_year, name=name, age_band=age_band, site=site,
                  full_day=full_day, semi_boarding=semi_boarding, english=english)
    group.full_clean(exclude=["school", "school_year", "site"])
    group._history_user = actor
    group.save()
    _set_teachers(group, teachers, lead)
    return group


GROUP_FIELDS = ("name", "age_band", "site", "full_day", "semi_boarding", "english", "active")


@transaction.atomic
def group_update(*, actor, group: Group, teachers=None, lead: Staff | None = None, **fields) -> Group:
    """Change a group; ``teachers`` (when given) replaces its teachers."""
    group = Group.objects.select_for_update().get(pk=group.pk)
    _require_manager(actor, group.school_id)
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"group_update: unknown fields {sorted(unknown)}")
    if "name" in fields or "site" in fields:
        fields["name"] = _check_group_fields(school_id=group.school_id, name=fields.get("name", group.name),
                                             school_year=group.school_year, site=fields.get("site", group.site),
                                             exclude_pk=group.pk)
    for key, value in fields.items():
        setattr(group, key, value)
    group.full_clean(exclude=["school", "school_year", "site"])
    group._history_user = actor
    group.save()
    if teachers is not None:
        teachers = _check_teachers(group.school_id, teachers)
        if lead is not None:
            _check_teachers(group.school_id, [lead])
        _set_teachers(group, teachers, lead)
    return group


# --- rules and overrides ----------------------------------------------------------------------------


@transaction.atomic
def rule_override(*, actor, school: School, rule_code: str, reason: str, group: Group | None = None) -> RuleOverride:
    """The principal's recorded decision to keep a group or the school past a configured limit."""
    _require_principal(actor, school.pk)
    if group is not None and group.school_id != school.pk:
        raise ValidationError({"group": _("Group: this group belongs to another school.")})
    row = RuleOverride(school=school, group=group, rule_code=rule_code[:60], reason=_reason(reason)[:500],
                       decided_by=actor)
    row._history_user = actor
    row.save()
    return row


def _counted_group(group: Group) -> Group:
    return selectors.groups_with_counts(Group.objects.filter(pk=group.pk)).get()


def _capacity_problem(group: Group, *, adding: int, adding_disabled: int, on: dt.date):
    """The group_max warning the group would have with ``adding`` more children, or None."""
    g = _counted_group(group)
    rules = selectors.rules_for_schools([g.school], on=selectors.rule_day(g.school_year, on),
                                        codes=selectors.GROUP_RULE_CODES)[g.school_id]
    warnings = selectors.evaluate_group(g, count=g.child_count + adding, disabled=g.disabled_count + adding_disabled,
                                        band_counts=None, rules=rules)
    return next((w for w in warnings if w.code == "group_max"), None)


def _has_override(group: Group, code: str) -> bool:
    return RuleOverride.objects.filter(group=group, rule_code=code).exists()


def _check_placement(*, actor, children: list[Child], group: Group, on: dt.date, override_reason: str = "",
                     field: str = "group") -> list[str]:
    """Age band and class size for putting ``children`` into ``group``; returns the notes to keep on the
    enrolments. Raises unless every problem is overridden by the group's principal with a reason."""
    notes = []
    year = group.school_year
    wrong = [(c, ages.age_band(c.birth_date, year.start_date)) for c in children]
    wrong = [(c, b) for c, b in wrong if not selectors.band_fits(b, group.age_band)]
    if wrong:
        if not override_reason:
            c, b = wrong[0]
            more = len(wrong) - 1
            msg = _("%(child)s is in the band %(band)s in %(year)s; %(group)s is for %(group_band)s.") % {
                "child": c.full_name, "band": selectors.band_label(b), "year": year.code, "group": group.name,
                "group_band": group.get_age_band_display()}
            if more:
                msg += " " + _("And %(n)d more children.") % {"n": more}
            raise ValidationError({field: msg + " " + _("The principal may admit with a recorded reason.")})
        _require_principal(actor, group.school_id)
        reason = _reason(override_reason, "override_reason")
        for c, b in wrong:
            rule_override(actor=actor, school=group.school, group=group, rule_code=f"age_band:{c.pk}",
                          reason=f"{c.full_name} ({selectors.band_label(b)}): {reason}")
        notes.append(_("Age band overridden: %(reason)s") % {"reason": reason})
    disabled = sum(1 for c in children if getattr(getattr(c, "support", None), "has_disability", False))
    problem = _capacity_problem(group, adding=len(children), adding_disabled=disabled, on=on)
    if problem is not None and not _has_override(group, "group_max"):
        if not override_reason:
            raise ValidationError({field: problem.message + " " + _(
                "Admitting is refused unless the principal records a reason to keep the group above its "
                "maximum.")})
        _require_principal(actor, group.school_id)
        rule_override(actor=actor, school=group.school, group=group, rule_code="group_max",
                      reason=_reason(override_reason, "override_reason"))
        notes.append(_("Class size overridden: %(reason)s") % {"reason": override_reason.strip()})
    return notes


def _open_enrolment_for_update(child: Child) -> Enrolment | None:
    return Enrolment.objects.select_for_update(of=("self",)).filter(child=child, end_date__isnull=True).select_related(
        "group", "group__school_year").first()


def _lock_child(child: Child) -> Child:
    # of=self: PostgreSQL cannot lock the nullable side of the outer join to the support row.
    return Child.objects.select_for_update(of=("self",)).select_related("support").get(pk=child.pk)


def _save(obj, actor, **kw):
    obj._history_user = actor
    obj.save(**kw)
    return obj


@transaction.atomic
def admit(*, actor, child: Child, group: Group, on: dt.date | None = None, override_reason: str = "",
          start_reason: str = Enrolment.Reason.ADMITTED) -> Enrolment:
    """Put a child who is in no group into ``group`` from ``on``.

    The child's age band in the group's school year must fit the group's band (mixed groups take any band
    of their family), and the group must have room under the class-size rules; either may be overridden
    by the principal with a recorded reason.
    """
    child = _lock_child(child)
    _require_manager(actor, child.school_id)
    on = on or _today()
    if group.school_id != child.school_id:
        raise ValidationError({"group": _("Group: %(group)s belongs to another school.") % {"group": group.name}})
    if not group.active:
        raise ValidationError({"group": _("Group: %(group)s is closed.") % {"group": group.name}})
    if child.status in (ChildStatus.FINISHED, ChildStatus.TRANSFERRING):
        raise ValidationError({"group": _("%(child)s is %(status)s and cannot be admitted.")
                               % {"child": child.full_name, "status": child.get_status_display().lower()}})
    if _open_enrolment_for_update(child) is not None:
        raise ValidationError({"group": _("%(child)s is already in a group: move her instead.")
                               % {"child": child.full_name}})
    notes = _check_placement(actor=actor, children=[child], group=group, on=on, override_reason=override_reason)
    enrolment = _save(Enrolment(child=child, group=group, school_id=group.school_id, start_date=on,
                                start_reason=start_reason, note="; ".join(notes)[:300]), actor)
    if child.status != ChildStatus.ENROLLED:
        child.status = ChildStatus.ENROLLED
        _save(child, actor, update_fields=["status"])
    return enrolment


def _close(enrolment: Enrolment, *, end: dt.date, reason: str, actor, note: str = "") -> Enrolment:
    if end < enrolment.start_date:
        raise ValidationError({"on": _("Date: %(date)s is before the child joined %(group)s on %(start)s.")
                               % {"date": _fmt(end), "group": enrolment.group.name,
                                  "start": _fmt(enrolment.start_date)}})
    enrolment.end_date = end
    enrolment.end_reason = reason
    if note:
        enrolment.note = (f"{enrolment.note}; {note}" if enrolment.note else note)[:300]
    return _save(enrolment, actor)


@transaction.atomic
def move_between_groups(*, actor, child: Child, to_group: Group, on: dt.date | None = None,
                        override_reason: str = "") -> Enrolment:
    """Move a child to another group of the same school: her current enrolment ends on ``on``-1 (reason
    moved) and a new one starts on ``on``. On the day she was admitted, the move corrects that enrolment."""
    child = _lock_child(child)
    _require_manager(actor, child.school_id)
    on = on or _today()
    current = _open_enrolment_for_update(child)
    if current is None:
        raise ValidationError({"to_group": _("%(child)s is in no group: admit her instead.")
                               % {"child": child.full_name}})
    if to_group.school_id != child.school_id:
        raise ValidationError({"to_group": _("Group: %(group)s belongs to another school.")
                               % {"group": to_group.name}})
    if to_group.pk == current.group_id:
        raise ValidationError({"to_group": _("%(child)s is already in %(group)s.")
                               % {"child": child.full_name, "group": to_group.name}})
    if not to_group.active:
        raise ValidationError({"to_group": _("Group: %(group)s is closed.") % {"group": to_group.name}})
    if on < current.start_date:
        raise ValidationError({"on": _("Date: %(date)s is before the child joined %(group)s on %(start)s.")
                               % {"date": _fmt(on), "group": current.group.name, "start": _fmt(current.start_date)}})
    notes = _check_placement(actor=actor, children=[child], group=to_group, on=on, override_reason=override_reason,
                             field="to_group")
    if on == current.start_date:
        current.group = to_group
        current.note = "; ".join([*notes, _("Corrected on the day of admission.")])[:300]
        return _save(current, actor)
    _close(current, end=on - ONE_DAY, reason=Enrolment.Reason.MOVED, actor=actor)
    return _save(Enrolment(child=child, group=to_group, school_id=to_group.school_id, start_date=on,
                           start_reason=Enrolment.Reason.MOVED, note="; ".join(notes)[:300]), actor)


@transaction.atomic
def release_for_transfer(*, actor, child: Child, to_school: School, on: dt.date | None = None,
                         note: str = "") -> Transfer:
    """The sending school releases a child to another school: her enrolment ends on ``on`` (transferred),
    she is 'released for transfer', and the receiving school's managers see her record from now on."""
    child = _lock_child(child)
    if actor is None:
        raise PermissionDenied(_("A transfer is released by a person."))
    _require_manager(actor, child.school_id)
    on = on or _today()
    if to_school.pk == child.school_id:
        raise ValidationError({"to_school": _("Receiving school: the child is already at this school.")})
    if child.status != ChildStatus.ENROLLED:
        raise ValidationError({"to_school": _("%(child)s is %(status)s and cannot be released.")
                               % {"child": child.full_name, "status": child.get_status_display().lower()}})
    current = _open_enrolment_for_update(child)
    if current is not None:
        _close(current, end=on, reason=Enrolment.Reason.TRANSFERRED, actor=actor)
    transfer = _save(Transfer(child=child, school_id=child.school_id, to_school=to_school, released_by=actor,
                              note=(note or "")[:300]), actor)
    child.status = ChildStatus.TRANSFERRING
    _save(child, actor, update_fields=["status"])
    return transfer


@transaction.atomic
def accept_transfer(*, actor, transfer: Transfer, group: Group, on: dt.date | None = None,
                    override_reason: str = "") -> Enrolment:
    """The receiving school's principal accepts a released child into one of her groups.

    The child's own record moves (the child, her guardians, pick-up people and support data now belong to
    the receiving school); daily records (attendance, handovers, measurements, fees) and the enrolments at
    the sending school stay where they were made.
    """
    transfer = Transfer.objects.select_for_update().select_related("child").get(pk=transfer.pk)
    _require_principal(actor, transfer.to_school_id)
    if transfer.accepted_at is not None:
        raise ValidationError({"transfer": _("This transfer was already accepted.")})
    if group.school_id != transfer.to_school_id:
        raise ValidationError({"group": _("Group: %(group)s is not a group of the receiving school.")
                               % {"group": group.name}})
    child = _lock_child(transfer.child)
    if child.status != ChildStatus.TRANSFERRING:
        raise ValidationError({"transfer": _("%(child)s is no longer waiting for a transfer.")
                               % {"child": child.full_name}})
    to_id = transfer.to_school_id
    child.school_id = to_id
    child.status = ChildStatus.ENROLLED
    _save(child, actor, update_fields=["school", "status"])
    for model in (Guardian, AuthorisedPickup, ChildSupport):
        rows = list(model.objects.filter(child=child))
        for row in rows:
            row.school_id = to_id
        if rows:
            bulk_update_with_history(rows, model, ["school"], default_user=actor)
    transfer.accepted_at = clock.now()
    transfer.accepted_by = actor
    _save(transfer, actor, update_fields=["accepted_at", "accepted_by"])
    child.refresh_from_db()
    return admit(actor=actor, child=child, group=group, on=on, override_reason=override_reason,
                 start_reason=Enrolment.Reason.TRANSFERRED)


@transaction.atomic
def leave(*, actor, child: Child, reason: str, on: dt.date | None = None) -> Child:
    """A child leaves the school (``on`` is her last day), with the reason."""
    child = _lock_child(child)
    _require_manager(actor, child.school_id)
    reason = _reason(reason)
    on = on or _today()
    if child.status != ChildStatus.ENROLLED:
        raise ValidationError({"reason": _("%(child)s is %(status)s already.")
                               % {"child": child.full_name, "status": child.get_status_display().lower()}})
    current = _open_enrolment_for_update(child)
    if current is not None:
        _close(current, end=on, reason=Enrolment.Reason.LEFT, actor=actor, note=reason)
    child.status = ChildStatus.LEFT
    return _save(child, actor, update_fields=["status"])


@transaction.atomic
def finish(*, actor, child: Child, on: dt.date | None = None) -> Child:
    """A 5-year-old finishes preschool and goes on to grade 1."""
    child = _lock_child(child)
    _require_manager(actor, child.school_id)
    current = _open_enrolment_for_update(child)
    if current is None:
        raise ValidationError({"on": _("%(child)s is in no group.") % {"child": child.full_name}})
    band = ages.age_band(child.birth_date, current.group.school_year.start_date)
    if band not in (ages.KINDER_5, ages.TOO_OLD):
        raise ValidationError({"on": _("%(child)s is in the band %(band)s: only 5-year-olds finish to grade 1.")
                               % {"child": child.full_name, "band": selectors.band_label(band)}})
    on = on or min(_today(), current.group.school_year.end_date)
    _close(current, end=max(on, current.start_date), reason=Enrolment.Reason.FINISHED, actor=actor)
    child.status = ChildStatus.FINISHED
    return _save(child, actor, update_fields=["status"])


@transaction.atomic
def rollover(*, actor, mapping: dict[Group, Group | None], override_reason: str = "") -> dict[str, int]:
    """End of the school year: every child of each old group goes into the group it maps to, in one step.

    Children of the oldest band (5-year-olds, and older) finish to grade 1 instead. The old enrolments end on
    the old year's last day (promoted / finished); the new ones start on the new year's first day. All or
    nothing: the first problem refuses the whole roll-over, naming the group. Class size and age band are
    checked in the new groups; the principal may override them with one recorded reason.
    """
    if not mapping:
        raise ValidationError({"mapping": _("Choose at least one group to roll over.")})
    old_groups = list(Group.objects.select_related("school_year", "school").filter(pk__in=[g.pk for g in mapping]))
    targets = {g.pk: (t.pk if t is not None else None) for g, t in mapping.items()}
    new_groups = {g.pk: g for g in Group.objects.select_related("school_year", "school").filter(
        pk__in=[t for t in targets.values() if t is not None])}
    schools = {g.school_id for g in old_groups} | {g.school_id for g in new_groups.values()}
    if len(schools) != 1:
        raise ValidationError({"mapping": _("All groups of a roll-over must belong to one school.")})
    school_id = schools.pop()
    _require_principal(actor, school_id)
    old_years = {g.school_year_id for g in old_groups}
    if len(old_years) != 1:
        raise ValidationError({"mapping": _("Roll over the groups of one school year at a time.")})
    old_year = old_groups[0].school_year
    for g in new_groups.values():
        if g.school_year.start_date <= old_year.start_date:
            raise ValidationError({"mapping": _("%(group)s is not a group of a later school year.")
                                   % {"group": g.name}})
    open_rows = list(
        Enrolment.objects.select_for_update(of=("self",)).filter(group__in=old_groups, end_date__isnull=True)
        .select_related("child", "child__support")
    )
    finishing, promoted = [], defaultdict(list)
    old_by_pk = {g.pk: g for g in old_groups}
    for e in open_rows:
        band = ages.age_band(e.child.birth_date, old_year.start_date)
        if band in (ages.KINDER_5, ages.TOO_OLD):
            finishing.append(e)
            continue
        target = targets.get(e.group_id)
        if target is None:
            raise ValidationError({"mapping": _(
                "%(group)s: %(child)s does not finish this year; choose the group she goes to.")
                % {"group": old_by_pk[e.group_id].name, "child": e.child.full_name}})
        promoted[target].append(e)
    notes = {}
    for target_pk, rows in promoted.items():
        notes[target_pk] = _check_placement(actor=actor, children=[e.child for e in rows],
                                            group=new_groups[target_pk],
                                            on=new_groups[target_pk].school_year.start_date,
                                            override_reason=override_reason, field="mapping")
    end = old_year.end_date
    for e in open_rows:
        e.end_date = max(end, e.start_date)
        e.end_reason = Enrolment.Reason.FINISHED if e in finishing else Enrolment.Reason.PROMOTED
    bulk_update_with_history(open_rows, Enrolment, ["end_date", "end_reason"], default_user=actor)
    new_rows = [
        Enrolment(child_id=e.child_id, group_id=target_pk, school_id=school_id,
                  start_date=new_groups[target_pk].school_year.start_date, start_reason=Enrolment.Reason.PROMOTED,
                  note="; ".join(notes[target_pk])[:300])
        for target_pk, rows in promoted.items() for e in rows
    ]
    bulk_create_with_history(new_rows, Enrolment, default_user=actor)
    finished_children = [e.child for e in finishing]
    for c in finished_children:
        c.status = ChildStatus.FINISHED
    if finished_children:
        bulk_update_with_history(finished_children, Child, ["status"], default_user=actor)
    return {"promoted": len(new_rows), "finished": len(finished_children)}
