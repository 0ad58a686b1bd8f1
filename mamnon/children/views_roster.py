"""Pages of the Excel rosters: template, import (upload, preview, confirm) and exports.

Thin views: roster.py reads, validates and writes; scoping decides who reaches which school and group.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamnon.calc.text import fold
from mamnon.children import roster
from mamnon.children.models import Group
from mamnon.core import clock, scoping
from mamnon.core.roles import Role
from mamnon.org.models import School

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SCHOOL_CHOICES = 300  # above this (administrators), the school is typed by its number


class RosterUploadForm(forms.Form):
    school = forms.ModelChoiceField(label=gettext_lazy("School"), queryset=School.objects.none())
    file = forms.FileField(label=gettext_lazy("Roster (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}))
    start_date = forms.DateField(label=gettext_lazy("Admission date"),
                                 help_text=gettext_lazy("dd/mm/yyyy, within the current school year"))

    def __init__(self, *args, schools, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        field = self.fields["school"]
        field.queryset = schools.select_related("unit").order_by("unit__name")
        if schools.count() > MAX_SCHOOL_CHOICES:
            field.widget = forms.NumberInput()
            field.help_text = _("The school's number (as in its address: /org/schools/<number>/).")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > roster.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.")
                                        % {"mb": roster.MAX_UPLOAD_BYTES // (1024 * 1024)})
        try:
            roster.check_file(upload)
        except roster.RosterFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload

    def clean_start_date(self):
        day = self.cleaned_data["start_date"]
        if self.year is not None and not self.year.start_date <= day <= self.year.end_date:
            raise forms.ValidationError(
                _("The admission date must fall within school year %(year)s (%(start)s to %(end)s).")
                % {"year": self.year.code, "start": self.year.start_date.strftime("%d/%m/%Y"),
                   "end": self.year.end_date.strftime("%d/%m/%Y")})
        return day


def _importable(request):
    schools = roster.importable_schools(request.user)
    if not schools.exists():
        raise PermissionDenied
    return schools


def _school_param(request, schools) -> School | None:
    """The school named by ?school=, among ``schools`` (404 otherwise); else the only one there is."""
    raw = request.GET.get("school")
    if raw:
        if not raw.isdigit():
            raise Http404
        school = schools.select_related("unit").filter(pk=int(raw)).first()
        if school is None:
            raise Http404
        return school
    first_two = list(schools.select_related("unit")[:2])
    return first_two[0] if len(first_two) == 1 else None


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{slugify(fold(name)) or "roster"}.xlsx"'
    return response


def _no_parent(request) -> None:
    if not roster.can_export(request.user):
        raise PermissionDenied


@login_required
def roster_home(request):
    """A school's rosters: the template and the import for its managers, the exports for its staff."""
    _no_parent(request)
    user = request.user
    visible = scoping.restrict(School.objects.select_related("unit"), user)
    school = _school_param(request, visible)
    if school is None:
        own = [g.unit_id for g in scoping.grants(user) if g.is_school and g.role != Role.PARENT]
        if own:
            school = visible.filter(pk__in=own).order_by("unit__name").first()
    year = roster.current_year()
    groups = []
    if school is not None and year is not None:
        groups = list(scoping.restrict(Group.objects.filter(school=school, school_year=year), user)
                      .order_by("age_band", "name"))
    can_import = school is not None and roster.importable_schools(user).filter(pk=school.pk).exists()
    choices = list(visible.order_by("unit__name")[:MAX_SCHOOL_CHOICES]) if school is None else []
    return render(request, "children/roster_home.html",
                  {"school": school, "year": year, "groups": groups, "can_import": can_import,
                   "school_choices": choices})


@login_required
def roster_template(request):
    """The empty roster for one school: its groups of the current year in the drop-down list."""
    schools = _importable(request)
    school = _school_param(request, schools)
    if school is None:
        messages.info(request, _("Choose the school first."))
        return redirect("children:roster-import")
    year = roster.current_year()
    names = []
    if year is not None:
        names = list(Group.objects.filter(school=school, school_year=year, active=True)
                     .order_by("age_band", "name").values_list("name", flat=True))
    content = roster.template_workbook(school=school, year=year, group_names=names)
    return _xlsx(content, f"mau-danh-sach-tre-{school.unit.code}")


@login_required
def roster_import(request):
    """Upload a roster; it is kept on the server and the preview shows what would happen."""
    schools = _importable(request)
    year = roster.current_year()
    initial_school = _school_param(request, schools)
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES, schools=schools, year=year)
        if year is None:
            form.add_error(None, _("There is no current school year: an administrator must create it first."))
        elif form.is_valid():
            data = form.cleaned_data
            token = roster.upload_store(data["file"], user=request.user, school=data["school"],
                                        start_date=data["start_date"])
            return redirect(f"{reverse('children:roster-preview')}?token={token}")
    else:
        initial = {"school": initial_school}
        if year is not None:
            initial["start_date"] = roster.default_start_date(year)
        form = RosterUploadForm(initial=initial, schools=schools, year=year)
    return render(request, "children/roster_import.html",
                  {"form": form, "year": year, "school": initial_school, "columns": roster.COLUMNS})


def _pending(request, token, *, claim: bool = False):
    """The user's upload and its school, or None when it is gone (used, expired, not theirs)."""
    getter = roster.upload_claim if claim else roster.upload_get
    stored = getter(token, user=request.user)
    if stored is None:
        return None, None
    school = roster.importable_schools(request.user).select_related("unit").filter(pk=stored.school_id).first()
    if school is None:  # the user no longer manages that school
        roster.upload_discard(stored.token)
        return None, None
    return stored, school


def _gone(request):
    messages.error(request, _("This upload is no longer available (already imported, expired or not yours). "
                              "Upload the file again."))
    return redirect("children:roster-import")


def _render_preview(request, plan, stored, *, confirmed_failed: bool = False):
    return render(request, "children/roster_preview.html",
                  {"plan": plan, "stored": stored, "token": stored.token, "confirmed_failed": confirmed_failed,
                   "columns": roster.COLUMNS, "errors": plan.errors, "warnings": plan.warnings,
                   "warning_count": len(plan.warnings) + len(plan.notes)})


@login_required
def roster_preview(request):
    """Every row with what it would create, every error and warning; confirm only when there is no error."""
    _importable(request)
    stored, school = _pending(request, request.GET.get("token"))
    if stored is None:
        return _gone(request)
    plan = roster.build_plan(stored.path, school=school)
    if plan.file_errors:
        roster.upload_discard(stored.token)
    return _render_preview(request, plan, stored)


@login_required
def roster_confirm(request):
    """POST: import the kept file, re-read and re-validated now; all or nothing."""
    _importable(request)
    if request.method != "POST":
        return redirect("children:roster-import")
    stored, school = _pending(request, request.POST.get("token"), claim=True)
    if stored is None:
        return _gone(request)
    try:
        plan, result = roster.roster_import_file(stored.path, school=school, actor=request.user,
                                                 start_date=stored.start_date)
    except roster.RosterInvalid as exc:
        messages.error(request, _("Nothing was imported: the file has errors. Correct them and upload it again."))
        return _render_preview(request, exc.plan, stored, confirmed_failed=True)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('children:roster-import')}?school={school.pk}")
    except IntegrityError:
        # Someone recorded one of the personal ids between the check and the insert: nothing was written.
        messages.error(request, _("Nothing was imported: the records changed meanwhile. Upload the file again to "
                                  "see what changed."))
        return redirect(f"{reverse('children:roster-import')}?school={school.pk}")
    finally:
        roster.upload_discard(stored.token)
    messages.success(request, _("%(n)s children imported into %(school)s (%(g)s guardians).")
                     % {"n": result.children, "school": school.unit.name, "g": result.guardians})
    return redirect(f"{reverse('children:roster-home')}?school={school.pk}")


@login_required
def roster_export_group(request, pk):
    """One group's roster as .xlsx (its current children; a past year's group: everyone who was in it)."""
    _no_parent(request)
    group = scoping.get_or_404(Group.objects.select_related("school_year", "school__unit"), request.user, pk=pk)
    rows = roster.roster_export_rows(request.user, Group.objects.filter(pk=group.pk),
                                     current_only=group.school_year.is_current)
    title = f"{group.school.unit.name} — {group.name} — {group.school_year.code}"
    return _xlsx(roster.export_workbook(rows, title=title), f"danh-sach-{group.name}-{group.school_year.code}")


@login_required
def roster_export_school(request, pk):
    """The school's current-year roster, narrowed like the pages (a teacher: her groups)."""
    _no_parent(request)
    school = scoping.get_or_404(School.objects.select_related("unit"), request.user, pk=pk)
    year = roster.current_year()
    groups = Group.objects.none()
    if year is not None:
        groups = scoping.restrict(Group.objects.filter(school=school, school_year=year), request.user)
    rows = roster.roster_export_rows(request.user, groups, current_only=True)
    code = year.code if year else clock.today().year
    title = f"{school.unit.name} — {code}"
    return _xlsx(roster.export_workbook(rows, title=title), f"danh-sach-tre-{school.unit.code}-{code}")
