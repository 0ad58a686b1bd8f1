"""The change log: who changed which record when, old and new values (django-simple-history).

Each audited model's history table keeps the same ``scope_path`` columns as the model, so the log is
restricted with the same scoping rules as the records themselves, and shown only to managers
(scoping.can_view_audit).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from heapq import merge

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from mamnon.core import scoping

MAX_ENTRIES = 2000


@dataclass
class Entry:
    when: datetime
    label: str
    record: object
    who: str = ""
    model: str = ""
    object_repr: str = ""
    kind: str = ""
    changes: list[tuple[str, object, object]] = field(default_factory=list)


_KIND = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def audited_models() -> list:
    """Scoped models with a history table, as (label, verbose name) pairs."""
    out = []
    for model in apps.get_models():
        if hasattr(model, "history") and hasattr(model, "scope_path"):
            out.append((model._meta.label, model._meta.verbose_name_plural))
    return sorted(out, key=lambda pair: str(pair[1]))


def _history_qs(model, user):
    return scoping.restrict_history(model.history.model.objects.all(), model, user)


def entries_for(user, *, model: str | None = None, limit: int = MAX_ENTRIES) -> list[Entry]:
    """The newest changes in the user's scope, newest first (one query per audited model)."""
    streams = []
    for label, _name in audited_models():
        if model not in (None, label):
            continue
        m = apps.get_model(label)
        rows = _history_qs(m, user).select_related("history_user").order_by("-history_date")[:limit]
        streams.append([Entry(r.history_date, label, r) for r in rows])
    return list(merge(*streams, key=lambda e: e.when, reverse=True))[:limit]


def _repr(record) -> str:
    for attr in ("name", "full_name", "code", "username"):
        value = getattr(record, attr, None)
        if value:
            return str(value)
    if hasattr(record, "get_role_display"):
        return f"{record.get_role_display()} (#{record.user_id})"
    return f"#{record.history_object.pk}"


def describe(entries: list[Entry]) -> list[Entry]:
    """Fill in who, what and the field differences for one page of entries (one query per model)."""
    by_label = defaultdict(list)
    for e in entries:
        by_label[e.label].append(e)
    for label, group in by_label.items():
        m = apps.get_model(label)
        key = m._meta.pk.attname  # "id", or "unit_id" for School (its pk is the unit)
        ids = {getattr(e.record, key) for e in group}
        earlier = defaultdict(list)
        # Every earlier version of the page's objects, to diff each entry against its predecessor.
        latest = max(e.when for e in group)
        for r in m.history.model.objects.filter(**{f"{key}__in": ids}, history_date__lte=latest).order_by(
            "history_date"
        ):
            earlier[getattr(r, key)].append(r)
        unit_names = {}
        if any(hasattr(e.record, "unit_id") for e in group):
            from mamnon.org.models import OrgUnit

            unit_ids = {getattr(e.record, "unit_id", None) for e in group}
            unit_names = dict(OrgUnit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
        for e in group:
            rec = e.record
            e.who = str(rec.history_user) if rec.history_user else "—"
            e.model = str(m._meta.verbose_name)
            e.object_repr = _repr(rec)
            if unit_names.get(getattr(rec, "unit_id", None)) and not getattr(rec, "name", None):
                e.object_repr = f"{e.object_repr} · {unit_names[rec.unit_id]}"
            e.kind = str(_KIND.get(rec.history_type, rec.history_type))
            if rec.history_type == "~":
                prev = [r for r in earlier[getattr(rec, key)] if r.history_date < rec.history_date]
                if prev:
                    delta = rec.diff_against(prev[-1])
                    e.changes = [(c.field, c.old, c.new) for c in delta.changes]
    return entries
