"""Programmes (chuyên đề, đề án, mô hình điểm): defining them, registering, evidence, scoring, and the library
of initiatives. Writes check who may act (core.scoping) and are all or nothing; reads are scoped queries.

**Scores.** Each criterion has a maximum score and a weight. A registered unit's total is the sum over the
criteria of score × weight, out of the sum of maximum × weight; the percentage is their ratio. Both sums are
one SQL aggregate for all the registrations of a programme.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from mamnon.core import clock, scoping
from mamnon.org.models import OrgUnit
from mamnon.reporting import uploads
from mamnon.reporting.models import (
    Criterion,
    Evidence,
    Initiative,
    Programme,
    ProgrammeKind,
    Registration,
    Score,
)

MAX_SCORE = Decimal("1000")
MAX_WEIGHT = Decimal("100")


def _decimal(raw, *, where: str, upper: Decimal, positive: bool = True) -> Decimal:
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("%(where)s: enter a number.") % {"where": where}) from None
    if not value.is_finite():
        raise ValueError(_("%(where)s: enter a number.") % {"where": where})
    if value > upper:
        raise ValueError(_("%(where)s: at most %(max)s.") % {"where": where, "max": _num(upper)})
    try:
        exact = value == value.quantize(Decimal("0.01"))
    except InvalidOperation:
        exact = False
    if not exact:
        raise ValueError(_("%(where)s: enter a number with at most two decimals.") % {"where": where})
    value = value + 0  # -0 is 0
    if (value <= 0) if positive else (value < 0):
        raise ValueError((_("%(where)s: the number must be above 0.") if positive
                          else _("%(where)s: the number cannot be negative.")) % {"where": where})
    if value > upper:
        raise ValueError(_("%(where)s: at most %(max)s.") % {"where": where, "max": _num(upper)})
    return value


def _num(x) -> str:
    x = Decimal(x)
    text = str(int(x)) if x == x.to_integral_value() else f"{x.normalize():f}"
    return text.replace(".", ",")


# --- programmes ---------------------------------------------------------------------------------------------


@transaction.atomic
def programme_create(*, actor, unit: OrgUnit, name: str, school_year, registration_deadline: dt.date,
                     criteria: list, kind: str = ProgrammeKind.TOPIC, description: str = "", legal_basis: str = "",
                     target_level=None) -> Programme:
    """An office's programme with its criteria: all or nothing, each error naming the criterion's row."""
    if unit.level.is_school or not scoping.can_fill_report(actor, unit):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}

    def err(key, message):
        errors.setdefault(key, []).append(message)

    name = (name or "").strip()
    if not name:
        err("name", _("Give the programme a name."))
    elif school_year is not None and Programme.objects.filter(unit=unit, school_year=school_year, name=name).exists():
        err("name", _("This office already runs a programme of this name in this school year."))
    if school_year is None:
        err("school_year", _("Choose the school year."))
    if not isinstance(registration_deadline, dt.date):
        err("registration_deadline", _("Give the registration deadline (dd/mm/yyyy)."))
    if kind not in ProgrammeKind.values:
        err("kind", _("Unknown kind of programme."))
    if target_level is not None and target_level.rank <= unit.level.rank:
        err("target_level", _("The registering units must be at a level below the office."))
    rows, seen = [], set()
    if not criteria:
        err("criteria", _("A programme needs at least one criterion."))
    for i, spec in enumerate(criteria or [], 1):
        spec = spec if isinstance(spec, dict) else {}
        where = _("Criterion %(n)d") % {"n": i}
        cname = str(spec.get("name", "")).strip()
        if not cname:
            err("criteria", _("%(where)s: give its name.") % {"where": where})
        elif cname in seen:
            err("criteria", _("%(where)s: “%(name)s” is listed twice.") % {"where": where, "name": cname})
        elif len(cname) > 300:
            err("criteria", _("%(where)s: the name is longer than 300 characters.") % {"where": where})
        seen.add(cname)
        try:
            max_score = _decimal(spec.get("max_score"), where=_("%(where)s, maximum score") % {"where": where},
                                 upper=MAX_SCORE)
            weight = _decimal(spec.get("weight", 1), where=_("%(where)s, weight") % {"where": where},
                              upper=MAX_WEIGHT)
        except ValueError as exc:
            err("criteria", str(exc))
            continue
        rows.append(Criterion(order=i, name=cname[:300], max_score=max_score, weight=weight))
    if errors:
        raise ValidationError(errors)
    programme = Programme(unit=unit, school_year=school_year, kind=kind, name=name[:300], description=description,
                          legal_basis=legal_basis[:500], registration_deadline=registration_deadline,
                          target_level=target_level)
    programme._history_user = actor
    programme.save()
    for row in rows:
        row.programme = programme
    Criterion.objects.bulk_create(rows)
    return programme


def may_register(programme: Programme, unit: OrgUnit) -> bool:
    """Is ``unit`` one of the units that register in ``programme`` (below the office, at its level if set)?"""
    below = unit.path.startswith(programme.unit.path) and unit.pk != programme.unit_id
    return below and (programme.target_level_id is None or unit.level_id == programme.target_level_id)


def registering_units(user, programme: Programme) -> QuerySet:
    """The units the user may register in ``programme`` (her own, for a school's managers or an office's
    officers) that have not registered yet."""
    own = [g.unit_id for g in scoping.grants(user) if g.role in scoping.SCHOOL_MANAGER_ROLES | scoping.OFFICER_ROLES]
    qs = OrgUnit.objects.filter(pk__in=own) if not scoping.is_admin(user) else OrgUnit.objects.all()
    qs = qs.filter(path__startswith=programme.unit.path).exclude(pk=programme.unit_id).select_related("level")
    if programme.target_level_id:
        qs = qs.filter(level_id=programme.target_level_id)
    taken = Registration.objects.filter(programme=programme).values("unit_id")
    return qs.exclude(pk__in=taken).order_by("path")[:200] if scoping.is_admin(user) else qs.exclude(pk__in=taken)


@transaction.atomic
def registration_create(*, actor, programme: Programme, unit: OrgUnit, title: str, description: str = "",
                        contact: str = "", today: dt.date | None = None) -> Registration:
    """A unit registers in a programme by its deadline (its principal or vice-principals; an office's officers)."""
    programme = Programme.objects.select_for_update(of=("self",)).select_related("unit").get(pk=programme.pk)
    if not scoping.can_fill_report(actor, unit) or not may_register(programme, unit):
        raise PermissionDenied
    today = today or clock.today()
    if not programme.active:
        raise ValidationError({"programme": _("This programme is closed: it takes no registrations.")})
    if today > programme.registration_deadline:
        closed = f"{programme.registration_deadline:%d/%m/%Y}"
        raise ValidationError({"programme": _("Registration closed on %(date)s: “%(name)s” takes no more "
                                              "registrations.") % {"date": closed, "name": programme.name}})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Say which model or content the unit registers.")})
    if Registration.objects.filter(programme=programme, unit=unit).exists():
        raise ValidationError({"unit": _("%(unit)s has already registered in this programme.") % {"unit": unit.name}})
    registration = Registration(programme=programme, unit=unit, title=title[:300], description=description or "",
                                contact=(contact or "")[:150], registered_by=actor)
    registration._history_user = actor
    registration.save()
    return registration


# --- evidence ---------------------------------------------------------------------------------------------


def _store(record, checked: uploads.CheckedFile) -> str:
    """Save the file through the storage API under a random name; returns the stored name."""
    record.file.save(f"x.{checked.extension}", checked.upload, save=False)
    return record.file.name


def _delete_stored(field, names) -> None:
    for name in names:
        try:
            field.storage.delete(name)
        except OSError:  # pragma: no cover - a file already gone
            pass


def evidence_add(*, actor, registration: Registration, files, caption: str = "") -> list[Evidence]:
    """Files a registered unit sends as evidence: all checked first (type, size, content), then all stored, or
    none (a failure while storing removes the files already written)."""
    registration = Registration.objects.select_related("unit__level", "programme").get(pk=registration.pk)
    if not scoping.can_fill_report(actor, registration.unit):
        raise PermissionDenied
    if not registration.programme.active:
        raise ValidationError({"files": _("This programme is closed: it takes no more evidence.")})
    checked = uploads.check_all(files)
    stored: list[str] = []
    made = []
    try:
        with transaction.atomic():
            for item in checked:
                evidence = Evidence(registration=registration, kind=item.kind, original_name=item.name,
                                    content_type=item.content_type, size=item.size, caption=(caption or "")[:300],
                                    uploaded_by=actor)
                stored.append(_store(evidence, item))
                evidence.save()
                made.append(evidence)
    except BaseException:
        _delete_stored(Evidence._meta.get_field("file"), stored)
        raise
    return made


def evidence_delete(*, actor, evidence: Evidence) -> None:
    evidence = Evidence.objects.select_related("registration__unit__level").get(pk=evidence.pk)
    if not scoping.can_fill_report(actor, evidence.registration.unit):
        raise PermissionDenied
    name = evidence.file.name
    with transaction.atomic():
        evidence.delete()
        transaction.on_commit(lambda: _delete_stored(Evidence._meta.get_field("file"), [name]))


# --- scores -----------------------------------------------------------------------------------------------


@transaction.atomic
def scores_set(*, actor, registration: Registration, scores: dict, comments: dict | None = None) -> list[Score]:
    """The office scores a registered unit: ``scores`` = {criterion id: score}; every score between 0 and the
    criterion's maximum, all or nothing (errors name the criterion). An empty score leaves the criterion
    unscored (removes an earlier score)."""
    registration = (Registration.objects.select_for_update(of=("self",))
                    .select_related("programme__unit__level", "unit").get(pk=registration.pk))
    if not scoping.can_run_programme(actor, registration.programme.unit):
        raise PermissionDenied
    if not isinstance(scores, dict):
        raise ValidationError({"scores": _("The scores must be given as criterion: score.")})
    criteria = {c.pk: c for c in registration.programme.criteria.all()}
    comments = comments or {}
    errors: dict[str, list[str]] = {}
    wanted: dict[int, Decimal | None] = {}
    for key, raw in scores.items():
        cid = int(key) if str(key).isdigit() else None
        criterion = criteria.get(cid)
        if criterion is None:
            errors.setdefault("scores", []).append(_("No criterion %(key)s in this programme.") % {"key": key})
            continue
        if raw is None or str(raw).strip() == "":
            wanted[cid] = None
            continue
        where = _("“%(criterion)s”") % {"criterion": criterion.name}
        try:
            value = _decimal(raw, where=where, upper=MAX_SCORE, positive=False)
        except ValueError as exc:
            errors.setdefault(f"criterion_{cid}", []).append(str(exc))
            continue
        if value > criterion.max_score:
            errors.setdefault(f"criterion_{cid}", []).append(
                _("%(where)s: %(score)s is above the maximum score %(max)s.")
                % {"where": where, "score": _num(value), "max": _num(criterion.max_score)})
            continue
        wanted[cid] = value
    if errors:
        raise ValidationError(errors)
    existing = {s.criterion_id: s for s in Score.objects.filter(registration=registration)}
    now = clock.now()
    out = []
    for cid, value in wanted.items():
        score = existing.get(cid)
        if value is None:
            if score is not None:
                score.delete()
            continue
        if score is None:
            score = Score(registration=registration, criterion_id=cid)
        score.score, score.scored_by, score.scored_at = value, actor, now
        score.comment = str(comments.get(cid, comments.get(str(cid), score.comment)) or "")[:500]
        score._history_user = actor
        score.save()
        out.append(score)
    return out


def with_totals(registrations: QuerySet) -> QuerySet:
    """Registrations annotated with ``total`` (Σ score × weight) and ``scored`` (criteria scored): one query."""
    weighted = ExpressionWrapper(F("scores__score") * F("scores__criterion__weight"),
                                 output_field=DecimalField(max_digits=12, decimal_places=4))
    from django.db.models import Count

    return registrations.annotate(total=Sum(weighted), scored=Count("scores"))


def programme_maximum(programme: Programme) -> Decimal:
    """Σ maximum × weight over the criteria: the best total a unit can reach."""
    expr = ExpressionWrapper(F("max_score") * F("weight"), output_field=DecimalField(max_digits=12,
                                                                                    decimal_places=4))
    return programme.criteria.aggregate(m=Sum(expr))["m"] or Decimal(0)


def percent(total, maximum) -> Decimal | None:
    if total is None or not maximum:
        return None
    return (Decimal(total) * 100 / Decimal(maximum)).quantize(Decimal("0.1"))


# --- initiatives and the library --------------------------------------------------------------------------


def initiative_submit(*, actor, unit: OrgUnit, title: str, summary: str, authors: str = "", programme=None,
                      file=None) -> Initiative:
    """A unit's initiative (its managers or an office's officers), with an optional document."""
    if not scoping.can_fill_report(actor, unit):
        raise PermissionDenied
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the initiative a title.")
    if not (summary or "").strip():
        errors["summary"] = _("Summarise the initiative.")
    if programme is not None and not unit.path.startswith(programme.unit.path):
        errors["programme"] = _("This programme is not run for %(unit)s.") % {"unit": unit.name}
    checked = None
    if file is not None:
        try:
            checked = uploads.check(file, kinds={"document"})
        except ValidationError as exc:
            errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    initiative = Initiative(unit=unit, programme=programme, title=title.strip()[:300], summary=summary.strip(),
                            authors=(authors or "")[:300], submitted_by=actor)
    stored = []
    try:
        with transaction.atomic():
            if checked is not None:
                initiative.original_name, initiative.content_type = checked.name, checked.content_type
                initiative.size = checked.size
                stored.append(_store(initiative, checked))
            initiative._history_user = actor
            initiative.save()
    except BaseException:
        _delete_stored(Initiative._meta.get_field("file"), stored)
        raise
    return initiative


def library_offices(user, initiative: Initiative) -> list[OrgUnit]:
    """The offices whose library the user may put ``initiative`` in: those she runs programmes for, at or above
    the unit that wrote it."""
    ids = [int(x) for x in initiative.unit.path.strip("/").split("/") if x]
    offices = OrgUnit.objects.filter(pk__in=ids, level__is_school=False).select_related("level").order_by("-depth")
    return [o for o in offices if scoping.can_run_programme(user, o)]


@transaction.atomic
def initiative_select(*, actor, initiative: Initiative, library_unit: OrgUnit | None) -> Initiative:
    """Put an initiative into an office's library (every unit below that office reads it), or take it out
    (``library_unit`` None)."""
    initiative = Initiative.objects.select_for_update(of=("self",)).select_related("unit").get(pk=initiative.pk)
    if library_unit is None:
        if initiative.library_unit_id is None:
            return initiative
        if not scoping.can_run_programme(actor, initiative.library_unit):
            raise PermissionDenied
        initiative.library_unit = initiative.selected_at = initiative.selected_by = None
    else:
        if library_unit.pk not in {o.pk for o in library_offices(actor, initiative)}:
            raise PermissionDenied
        initiative.library_unit, initiative.selected_at, initiative.selected_by = library_unit, clock.now(), actor
    initiative._history_user = actor
    initiative.save(update_fields=["library_unit", "selected_at", "selected_by"])
    return initiative


def library(user, query: str = "") -> QuerySet:
    """The initiatives in the libraries the user reads (her offices' and her own unit's), searched by title,
    summary, authors or unit, ignoring case."""
    qs = (Initiative.objects.for_user(user).filter(library_unit__isnull=False)
          .select_related("unit", "library_unit", "programme").order_by("-selected_at", "-id"))
    if scoping.is_admin(user):
        pass
    else:
        # Only the libraries above or at the user's units (not every selected initiative of her subtree).
        ids = {int(x) for g in scoping.grants(user) for x in g.path.strip("/").split("/") if x}
        qs = qs.filter(library_unit_id__in=ids)
    for word in (query or "").split()[:8]:
        qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(authors__icontains=word)
                       | Q(unit__name__icontains=word))
    return qs
