"""Writes of the school day: the calendar, a group's register, reopening a locked day.

Each runs in one transaction and records the acting user in the audit (simple-history rows, written
in bulk for the register so that a whole group costs a fixed number of statements).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, router, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from mamnon.attendance import selectors
from mamnon.attendance.models import (
    PRESENT_STATUSES,
    Attendance,
    AttendanceStatus,
    CalendarDay,
    DayCount,
    GroupDay,
)
from mamnon.calc import holidays
from mamnon.calc import schooldays as calc
from mamnon.children.models import Group
from mamnon.org.models import OrgUnit

NOTE_MAX = Attendance._meta.get_field("note").max_length
REASON_MAX = GroupDay._meta.get_field("reopen_reason").max_length
REASON_MIN = 5
STATUS_VALUES = frozenset(AttendanceStatus.values)
REOPEN_HOURS_MAX = 72


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- the register ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One child's mark as sent by the page or the API (children not sent are present)."""

    child_id: int
    status: str = AttendanceStatus.PRESENT
    note: str = ""


@dataclass
class SaveResult:
    group_day_id: int | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def present(self) -> int:
        return sum(n for s, n in self.counts.items() if s in PRESENT_STATUSES)

    @property
    def absent(self) -> int:
        return sum(n for s, n in self.counts.items() if s not in PRESENT_STATUSES)


def writable_group(actor, group_id) -> Group:
    """The group if ``actor`` may save its register (raises Group.DoesNotExist otherwise: callers answer 404)."""
    group = selectors.register_groups(actor, write=True).select_related("school__unit").filter(pk=group_id).first()
    if group is None:
        raise Group.DoesNotExist
    return group


def lock_message(state: str, *, day: dt.date, lock_at: dt.time | None = None) -> str:
    if state == calc.FUTURE:
        return _("%(date)s has not come yet: attendance is taken on the day.") % {"date": _d(day)}
    if state == calc.LOCKED_PAST:
        return _("The register of %(date)s is locked. A principal or vice-principal can reopen it.") % {
            "date": _d(day)}
    if state == calc.LOCKED_HOUR:
        return _("The register locked at %(time)s. A principal or vice-principal can reopen it.") % {
            "time": lock_at.strftime("%H:%M") if lock_at else ""}
    return ""


def register_state(actor, ctx: selectors.RegisterContext) -> str:
    """calc.register_lock for this user and register (principals and vice-principals are not bound)."""
    return calc.register_lock(
        day=ctx.day, now_local=selectors.local_now(), lock_hour=ctx.lock_hour,
        exempt=selectors.is_school_manager(actor, ctx.group.school.unit),
        reopened_until=ctx.record.reopened_until if ctx.record else None,
    )


def _check_day(actor, ctx: selectors.RegisterContext) -> None:
    """Refuse a day that is not a school day or whose register is locked for ``actor``."""
    day, group = ctx.day, ctx.group
    if not ctx.school_day:
        raise ValidationError({"date": _("%(date)s is not a school day at %(school)s (weekend, holiday or closure).")
                               % {"date": _d(day), "school": group.school.unit.name}}, code="not_school_day")
    state = register_state(actor, ctx)
    if state not in (calc.OPEN, calc.REOPENED):
        raise ValidationError({"date": lock_message(state, day=day, lock_at=calc.hour_to_time(ctx.lock_hour))},
                              code=state)


# --- bulk writes with their audit rows --------------------------------------------------------------
# The register is the busiest write of the system (a morning peak of ~200,000 groups in 90 minutes
# nationally), so its rows and their simple-history rows are written with a fixed number of statements
# whatever the size of the group: an upsert (INSERT ... ON CONFLICT DO UPDATE) feeding, on PostgreSQL in
# the same statement, an INSERT of the rows just written into the history table (on SQLite a second
# INSERT ... SELECT), so the audit holds exactly what was stored. Table and column names come from _meta.


def _columns(model, names) -> list[str]:
    return [model._meta.get_field(n).column for n in names]


@functools.cache
def _history_model(model):
    # simple-history builds a manager class on every ``model.history`` access: look it up once.
    return model.history.model


def _upsert_sql(conn, model, names: list[str], n_rows: int, *, unique: list[str], update: list[str]) -> str:
    qn = conn.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    return (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in _columns(model, names))}) "
        f"VALUES {', '.join([one] * n_rows)} "
        f"ON CONFLICT ({', '.join(qn(c) for c in _columns(model, unique))}) DO UPDATE SET "
        + ", ".join(f"{qn(c)} = excluded.{qn(c)}" for c in _columns(model, update))
    )


@dataclass(frozen=True)
class Upsert:
    """Rows of ``model`` to write with INSERT ... ON CONFLICT (unique) DO UPDATE, with their audit rows.

    ``rows`` hold database values in the order of ``names`` (dates and datetimes already adapted); the
    columns named in ``shared`` hold the same value in every row. ``history_where`` and ``created_when``
    select the rows and the new ones for SQLite's separate history copy (``_copy_to_history``).
    """

    model: type
    names: tuple[str, ...]
    rows: list[tuple]
    unique: tuple[str, ...]
    update: tuple[str, ...]
    shared: tuple[str, ...]
    history_where: dict
    created_when: dict | None = None


@functools.cache  # keyed by the database alias, not the per-thread connection object
def _pg_upsert_parts(alias, model, names, shared, unique, update) -> tuple[str, str]:
    """PostgreSQL: the upsert (``SELECT`` of the shared values bound once and of one array per other column,
    ``unnest``), and the history INSERT reading its RETURNING from a CTE named ``{cte}``."""
    conn = connections[alias]
    qn = conn.ops.quote_name
    tracked = ", ".join(qn(f.column) for f in model._meta.concrete_fields)
    per_row = [n for n in names if n not in shared]
    select = ", ".join(f"%s::{model._meta.get_field(n).db_type(conn)}" if n in shared else f"r.c{per_row.index(n)}"
                       for n in names)
    if per_row:
        arrays = ", ".join(f"%s::{model._meta.get_field(n).db_type(conn)}[]" for n in per_row)
        select += f" FROM unnest({arrays}) AS r({', '.join(f'c{i}' for i in range(len(per_row)))})"
    upsert = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in _columns(model, names))}) "
        f"SELECT {select} "
        f"ON CONFLICT ({', '.join(qn(c) for c in _columns(model, unique))}) DO UPDATE SET "
        + ", ".join(f"{qn(c)} = excluded.{qn(c)}" for c in _columns(model, update))
        + f" RETURNING {tracked}, (xmax = 0) AS mamnon_inserted"
    )
    history = (
        f"INSERT INTO {qn(_history_model(model)._meta.db_table)} ({tracked}, history_date, "
        f"history_change_reason, history_type, history_user_id) "
        f"SELECT {tracked}, %s, NULL, CASE WHEN mamnon_inserted THEN '+' ELSE '~' END, %s FROM {{cte}}"
    )
    return upsert, history


def _write_with_history(*writes: Upsert, actor, when: dt.datetime) -> None:
    """The upserts, in order, and their audit rows: ONE statement on PostgreSQL, whatever their sizes.

    There each upsert's RETURNING feeds its history INSERT (data-modifying CTEs), and a row is a creation
    ('+') when the upsert inserted it (``xmax = 0``); the text depends only on which models are written, so
    psycopg converts it once and PostgreSQL prepares it once per connection (config.database's
    prepare_threshold). Elsewhere (SQLite) each upsert is a VALUES list followed by ``_copy_to_history``.
    """
    writes = [w for w in writes if w.rows]
    if not writes:
        return
    conn = connections[router.db_for_write(writes[0].model)]
    if conn.vendor != "postgresql":
        for w in writes:
            upsert = _upsert_sql(conn, w.model, list(w.names), len(w.rows), unique=list(w.unique),
                                 update=list(w.update))
            with conn.cursor() as cursor:
                cursor.execute(upsert, [v for row in w.rows for v in row])
            _copy_to_history(w.model, where=w.history_where, created_when=w.created_when, actor=actor, when=when)
        return
    history_params = [conn.ops.adapt_datetimefield_value(when), actor.pk if actor else None]
    ctes, params = [], []
    for i, w in enumerate(writes):
        upsert, history = _pg_upsert_parts(conn.alias, w.model, w.names, w.shared, w.unique, w.update)
        params += [w.rows[0][j] for j, n in enumerate(w.names) if n in w.shared]
        params += [[row[j] for row in w.rows] for j, n in enumerate(w.names) if n not in w.shared]
        ctes.append(f"up{i} AS ({upsert})")
        if i < len(writes) - 1:
            ctes.append(f"h{i} AS ({history.format(cte=f'up{i}')})")
        params += history_params
    sql = f"WITH {', '.join(ctes)} {history.format(cte=f'up{len(writes) - 1}')}"
    with conn.cursor() as cursor:
        cursor.execute(sql, params)


def _copy_to_history(model, *, where: dict, actor, when: dt.datetime, created_when: dict | None = None,
                     reason: str | None = None) -> None:
    """Copy the rows matching ``where`` (column name -> value, or list of values) into the model's
    simple-history table: history type '+' where ``created_when`` matches, '~' otherwise."""
    conn = connections[router.db_for_write(model)]
    qn = conn.ops.quote_name
    history = _history_model(model)
    tracked = [f.column for f in model._meta.concrete_fields]
    conditions, params = [], []
    for name, value in where.items():
        column = qn(model._meta.get_field(name).column)
        if isinstance(value, list | tuple | set):
            conditions.append(f"{column} IN ({', '.join(['%s'] * len(value))})")
            params += list(value)
        else:
            conditions.append(f"{column} = %s")
            params.append(model._meta.get_field(name).get_db_prep_value(value, conn))
    kind_sql, kind_params = "%s", ["~"]
    if created_when:
        ((name, ids),) = created_when.items()
        column = qn(model._meta.get_field(name).column)
        kind_sql = f"CASE WHEN {column} IN ({', '.join(['%s'] * len(ids))}) THEN '+' ELSE '~' END" if ids else "%s"
        kind_params = list(ids) if ids else ["~"]
    sql = (
        f"INSERT INTO {qn(history._meta.db_table)} ({', '.join(qn(c) for c in tracked)}, history_date, "
        f"history_change_reason, history_type, history_user_id) "
        f"SELECT {', '.join(qn(c) for c in tracked)}, %s, %s, {kind_sql}, %s "
        f"FROM {qn(model._meta.db_table)} WHERE {' AND '.join(conditions)}"
    )
    head = [conn.ops.adapt_datetimefield_value(when), reason]
    with conn.cursor() as cursor:
        cursor.execute(sql, head + kind_params + [actor.pk if actor else None] + params)


def _day_counts_sql(conn, *, groups: int | None, day: bool) -> str:
    """INSERT ... SELECT ... ON CONFLICT: each (group, day)'s present and registered children, from the rows.

    With ``groups`` (how many group ids are bound; 0 on PostgreSQL, where they are bound as one array) and
    ``day``: those groups on that day, each from the group (a LEFT JOIN, so a group left with no rows counts
    0); without them: every (group, day) that has rows.
    """
    qn = conn.ops.quote_name
    present = ", ".join("%s" for _ in PRESENT_STATUSES)
    cols = "school_id, group_id, date, present, registered"
    counts = f"SUM(CASE WHEN a.status IN ({present}) THEN 1 ELSE 0 END), COUNT(a.id)"
    if day:
        ids = "= ANY(%s::bigint[])" if conn.vendor == "postgresql" else f"IN ({', '.join(['%s'] * groups)})"
        select = (f"SELECT g.school_id, g.id, %s, {counts} FROM {qn('children_group')} g "
                  f"LEFT JOIN {qn('attendance_attendance')} a ON a.group_id = g.id AND a.date = %s "
                  f"WHERE g.id {ids} GROUP BY g.id, g.school_id")
    else:
        select = (f"SELECT g.school_id, a.group_id, a.date, {counts} FROM {qn('attendance_attendance')} a "
                  f"JOIN {qn('children_group')} g ON g.id = a.group_id WHERE 1 = 1 GROUP BY a.group_id, a.date, "
                  f"g.school_id")
    return (f"INSERT INTO {qn(DayCount._meta.db_table)} ({cols}) {select} ON CONFLICT (group_id, date) DO UPDATE "
            f"SET present = EXCLUDED.present, registered = EXCLUDED.registered, school_id = EXCLUDED.school_id")


def day_counts_refresh(*, group_ids: Iterable[int] | None = None, day: dt.date | None = None) -> None:
    """Recount ``DayCount`` from the Attendance rows: the given groups on ``day`` (one statement), or all."""
    conn = connections[router.db_for_write(Attendance)]
    statuses = [str(s) for s in PRESENT_STATUSES]
    with conn.cursor() as cur:
        if group_ids is None:
            cur.execute(_day_counts_sql(conn, groups=None, day=False), statuses)
            return
        ids = sorted({int(g) for g in group_ids})
        if not ids or day is None:
            return
        d = conn.ops.adapt_datefield_value(day)
        # the select's columns come first in the SQL: the day, the statuses, then the join's day and the ids
        if conn.vendor == "postgresql":  # one text whatever the number of groups (prepared once)
            cur.execute(_day_counts_sql(conn, groups=0, day=True), [d, *statuses, d, ids])
        else:
            cur.execute(_day_counts_sql(conn, groups=len(ids), day=True), [d, *statuses, d, *ids])


def _pipelined(conn) -> bool:
    """Whether the save can run in psycopg's pipeline mode on ``conn``: PostgreSQL, not inside a transaction
    the caller opened (there the caller's transaction is used as before), and a libpq that has pipelines."""
    if conn.vendor != "postgresql" or conn.in_atomic_block or not conn.get_autocommit():
        return False
    import psycopg

    return psycopg.Pipeline.is_supported()


def attendance_save(*, actor, group_id: int, day: dt.date, marks: Iterable[Mark]) -> SaveResult:
    """Save a whole group's register for ``day`` in one go.

    Every child with an open enrolment in the group that day gets one row (present unless marked);
    rows are upserted on (child, date), so two teachers saving at once never duplicate a row. Only
    changed rows are written, so a re-save keeps the time an absence was first recorded (the kitchen's
    cut-off reads it). A fixed number of statements whatever the size of the group: the register's
    context (scoping, calendar, lock rule, day row), its children, one statement for the group's day and
    the rows, audit included (four on SQLite), and one for the day's counts; all in one transaction.

    On PostgreSQL (outside a caller's transaction) the statements travel in psycopg's pipeline mode, in
    two round trips instead of six (BEGIN, the two reads, the two writes, COMMIT): the two reads are sent
    together, then the two writes and a Sync. Statements between two Syncs are ONE implicit transaction
    (the extended query protocol's rule), committed at the Sync, or rolled back whole if one fails: the
    same all-or-nothing as ``transaction.atomic``, with the same statements in the same order, so the
    counts, read after the writes by a later statement of the same transaction, stay exact.
    """
    conn = connections[router.db_for_write(Attendance)]
    if not _pipelined(conn):
        with transaction.atomic(using=conn.alias):
            return _save(conn, actor, group_id, day, marks)
    conn.close_if_health_check_failed()
    conn.ensure_connection()
    with conn.wrap_database_errors, conn.connection.pipeline():
        return _save(conn, actor, group_id, day, marks)


def _save(conn, actor, group_id: int, day: dt.date, marks: Iterable[Mark]) -> SaveResult:
    ctx_sql = selectors.register_context_query(actor, group_id, day)
    rows_sql = selectors.register_rows_query(group=group_id, day=day)
    with conn.cursor() as c_ctx, conn.cursor() as c_rows:
        c_ctx.execute(*ctx_sql)  # both sent before either is read (one round trip in pipeline mode)
        c_rows.execute(*rows_sql)
        ctx = selectors.register_context_result(actor, day, c_ctx.fetchone(), write=True)
        rows = selectors.register_rows_result(c_rows.fetchall())
    if ctx is None:
        raise Group.DoesNotExist
    group = ctx.group
    _check_day(actor, ctx)
    by_child = {r.child_id: r for r in rows}

    wanted: dict[int, tuple[str, str]] = {}
    errors: list[str] = []
    for n, mark in enumerate(marks, 1):
        row = by_child.get(mark.child_id)
        note = (mark.note or "").strip()
        if row is None:
            errors.append(_("Mark %(n)d: child #%(child)s is not enrolled in %(group)s on %(date)s.")
                          % {"n": n, "child": mark.child_id, "group": group.name, "date": _d(day)})
        elif mark.child_id in wanted:
            errors.append(_("%(name)s is marked twice.") % {"name": row.full_name})
        elif mark.status not in STATUS_VALUES:
            errors.append(_("%(name)s: “%(status)s” is not a status (present, late, excused, unexcused, sick).")
                          % {"name": row.full_name, "status": mark.status})
        elif len(note) > NOTE_MAX:
            errors.append(_("%(name)s: the note is longer than %(max)d characters.")
                          % {"name": row.full_name, "max": NOTE_MAX})
        else:
            wanted[mark.child_id] = (mark.status, note)
    if errors:
        raise ValidationError({"marks": errors}, code="invalid_marks")

    when = selectors.now()
    db_day, db_when = conn.ops.adapt_datefield_value(day), conn.ops.adapt_datetimefield_value(when)
    changed, created, unchanged = [], [], 0
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    for row in rows:
        status, note = wanted.get(row.child_id, (AttendanceStatus.PRESENT, ""))
        counts[status] += 1
        if row.recorded and row.recorded_group == group.pk and row.status == status and row.note == note:
            unchanged += 1
            continue
        changed.append((group.school_id, group.pk, row.child_id, db_day, status, note, actor.pk, db_when))
        if not row.recorded:
            created.append(row.child_id)
    # The group's day and the rows, with their audit rows (one statement on PostgreSQL). The day's GroupDay
    # row stays locked until the transaction ends, so of two saves of the same register at once the second
    # waits there for the first to commit, and its day counts (read after) see the first's rows.
    _write_with_history(
        Upsert(GroupDay, ("school", "group", "date", "saved_by", "saved_at", "reopen_reason"),
               [(group.school_id, group.pk, db_day, actor.pk, db_when, "")], unique=("group", "date"),
               update=("saved_by", "saved_at"), shared=("school", "group", "date", "saved_by", "saved_at",
                                                        "reopen_reason"),
               history_where={"group": group.pk, "date": day},
               created_when=None if ctx.record else {"group": [group.pk]}),
        Upsert(Attendance, ("school", "group", "child", "date", "status", "note", "recorded_by", "recorded_at"),
               changed, unique=("child", "date"),
               update=("school", "group", "status", "note", "recorded_by", "recorded_at"),
               shared=("school", "group", "date", "recorded_by", "recorded_at"),
               history_where={"group": group.pk, "date": day, "child": [c[2] for c in changed]},
               created_when={"child": created}),
        actor=actor, when=when)
    if changed:
        # this group's day, and any group a child was moved out of (its row now belongs here)
        moved = {row.recorded_group for row in rows if row.recorded and row.recorded_group != group.pk
                 and row.recorded_group is not None}
        day_counts_refresh(group_ids={group.pk, *moved}, day=day)
    # nothing that can fail comes after the writes: in pipeline mode they are committed at the Sync
    return SaveResult(ctx.record.id if ctx.record else None, created=len(created),
                      updated=len(changed) - len(created), unchanged=unchanged, counts=counts)


@transaction.atomic
def group_day_reopen(*, actor, group_id: int, day: dt.date, reason: str, hours: int = 24) -> GroupDay:
    """A principal or vice-principal reopens a group's register for teachers, with the reason audited."""
    group = writable_group(actor, group_id)
    if not selectors.is_school_manager(actor, group.school.unit):
        raise PermissionDenied
    reason = (reason or "").strip()
    errors = {}
    if len(reason) < REASON_MIN:
        errors["reason"] = _("Give the reason for reopening (at least %(min)d characters).") % {"min": REASON_MIN}
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("The reason is longer than %(max)d characters.") % {"max": REASON_MAX}
    if not 1 <= int(hours) <= REOPEN_HOURS_MAX:
        errors["hours"] = _("Reopen for 1 to %(max)d hours.") % {"max": REOPEN_HOURS_MAX}
    if day > selectors.local_today():
        errors["date"] = _("%(date)s has not come yet.") % {"date": _d(day)}
    elif not selectors.is_school_day(school=group.school, day=day):
        errors["date"] = _("%(date)s is not a school day.") % {"date": _d(day)}
    if errors:
        raise ValidationError(errors)
    gd = GroupDay.objects.filter(group_id=group.pk, date=day).first() or GroupDay(
        school_id=group.school_id, group_id=group.pk, date=day)
    gd.reopened_by = actor
    gd.reopened_until = selectors.now() + dt.timedelta(hours=int(hours))
    gd.reopen_reason = reason
    gd._history_user = actor
    gd._change_reason = reason
    gd.save()
    return gd


# --- the calendar ------------------------------------------------------------------------------------


@transaction.atomic
def calendar_day_set(*, actor, unit: OrgUnit, day: dt.date, kind: str, note: str = "") -> CalendarDay:
    """Declare a holiday, a closure or a make-up school day for ``unit`` and every school below it."""
    if kind not in CalendarDay.Kind.values:
        raise ValidationError({"kind": _("Choose holiday, closure or make-up day.")})
    weekend = day.weekday() >= 5
    if kind == CalendarDay.Kind.MAKE_UP and not weekend:
        raise ValidationError({"kind": _("%(date)s is a weekday, already a school day: a make-up day falls on a "
                                         "Saturday or Sunday.") % {"date": _d(day)}})
    if kind == CalendarDay.Kind.CLOSURE and weekend:
        raise ValidationError({"kind": _("%(date)s is a weekend day: there is no school to close.")
                               % {"date": _d(day)}})
    entry = CalendarDay.objects.filter(unit=unit, date=day).first() or CalendarDay(unit=unit, date=day)
    entry.kind = kind
    entry.note = (note or "").strip()[:200]
    entry._history_user = actor
    entry.save()
    return entry


@transaction.atomic
def calendar_day_delete(*, actor, entry: CalendarDay) -> None:
    entry._history_user = actor
    entry.delete()


@transaction.atomic
def calendar_import_public_holidays(*, actor, unit: OrgUnit, year: int) -> tuple[int, int]:
    """Add the year's public holidays (and swapped working Saturdays) to ``unit``'s calendar.

    Dates the unit already has are left as they are. Returns (added, skipped). The table and its source
    are in mamnon.calc.holidays.
    """
    rows = [(d, CalendarDay.Kind.HOLIDAY, name) for d, name in holidays.public_holidays(year)]
    rows += [(d, CalendarDay.Kind.MAKE_UP, _("Working day in exchange for a day off"))
             for d in holidays.weekend_workdays(year)]
    if not rows:
        raise ValidationError({"year": _("mamnon has no public-holiday table for %(year)s yet.") % {"year": year}})
    existing = set(CalendarDay.objects.filter(unit=unit, date__year=year).values_list("date", flat=True))
    new = [CalendarDay(unit=unit, date=d, kind=kind, note=str(name)[:200]) for d, kind, name in rows
           if d not in existing]
    if new:
        bulk_create_with_history(new, CalendarDay, default_user=actor,
                                 default_change_reason=holidays.SOURCE)
    return len(new), len(rows) - len(new)
