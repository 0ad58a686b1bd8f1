"""Small helpers shared by the domain pages (no access decisions here: those are core.scoping's)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404


def chosen_school(request, schools: QuerySet):
    """The school a page is about: ``school`` in the query or the form, among ``schools`` (already scoped),
    else the first of them (None when there is none). A key outside ``schools`` or not a number is a 404.
    Returns ``(school, schools)``."""
    raw = request.GET.get("school") or request.POST.get("school")
    if not raw:
        return schools.first(), schools
    school = schools.filter(pk=int(raw)).first() if raw.isdigit() else None
    if school is None:
        raise Http404
    return school, schools


def apply_errors(form, exc: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: on the field it names (``rename`` maps a service's field
    to the form's), or above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        field = (rename or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)
