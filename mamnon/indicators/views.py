"""Pages of the targets and indicators domain: scorecards, drill-down, targets, declarations, export.

Who sees a unit's dashboard: officers of the unit or above and the school's managers (a fixed role set,
``DASHBOARD_ROLES``, through ``scoping.restrict_to_roles``); the children behind a number go through
``Child.objects.for_user`` (and disability figures through ``scoping.can_view_sensitive``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamnon.calc import indicators as calc
from mamnon.calc import periods as P
from mamnon.children.models import Child, Group
from mamnon.core import scoping
from mamnon.core.pages import apply_errors
from mamnon.core.roles import OFFICER_ROLES
from mamnon.health import stats as health_stats
from mamnon.health.models import Measurement
from mamnon.indicators import exports, forms, periods, registry, selectors, services
from mamnon.indicators.models import DeclaredValue, Indicator, Target
from mamnon.org.models import OrgUnit, SchoolYear

SENSITIVE_CODES = {"INCLUSION"}
HEALTH_CODES = set(health_stats.INDICATORS)

STATUS_LABELS = {
    calc.ACHIEVED: ("achieved", "Achieved"),
    calc.ON_TRACK: ("on-track", "On track"),
    calc.AT_RISK: ("at-risk", "At risk"),
    calc.NOT_ACHIEVED: ("not-achieved", "Not achieved"),
    calc.NO_DATA: ("no-data", "No data"),
}


def status_label(status: str) -> str:
    return {
        calc.ACHIEVED: _("Achieved"), calc.ON_TRACK: _("On track"), calc.AT_RISK: _("At risk"),
        calc.NOT_ACHIEVED: _("Not achieved"), calc.NO_DATA: _("No data"),
    }[status]


def dashboard_units(user):
    """Units whose figures the user may read: the units they may view (aggregates only; children and
    sensitive figures are narrowed again where they are listed)."""
    return OrgUnit.objects.for_user(user)


def _unit_or_404(user, unit_id: int) -> OrgUnit:
    unit = dashboard_units(user).select_related("level").filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def _school_year(request) -> str:
    code = request.GET.get("year") or services.current_school_year()
    try:
        if P.parse_period(code).kind != P.SCHOOL_YEAR:
            raise P.PeriodError(code)
    except P.PeriodError:
        return services.current_school_year()
    return code


def _breadcrumbs(user, unit: OrgUnit) -> list[OrgUnit]:
    ids = selectors.ancestor_ids(unit)
    reach = {u.pk: u for u in dashboard_units(user).filter(pk__in=ids)}
    return [reach[i] for i in ids if i in reach]


@login_required
def home(request):
    paths = scoping.scope_paths(request.user)
    if scoping.is_admin(request.user):
        top = OrgUnit.objects.filter(parent__isnull=True, active=True).order_by("name").first()
    else:
        top = OrgUnit.objects.filter(path__in=paths).order_by("depth", "name").first()
    if top is None:
        return render(request, "indicators/none.html")
    return redirect("indicators:unit", unit_id=top.pk)


def _svg_points(series, width=120, height=28) -> str:
    vals = [v for _c, v in series if v is not None]
    if len(vals) < 2:
        return ""
    lo, hi = min(vals), max(vals)
    span = (hi - lo) or 1.0
    step = width / max(len(series) - 1, 1)
    return " ".join(f"{i * step:.1f},{height - 2 - (v - lo) / span * (height - 4):.1f}"
                    for i, (_c, v) in enumerate(series) if v is not None)


@login_required
def unit_dashboard(request, unit_id: int):
    """The scorecard of a unit's targets, the units below side by side, trends; htmx refreshes the table."""
    unit = _unit_or_404(request.user, unit_id)
    year = _school_year(request)
    lines = selectors.scorecard(unit, year)
    for line in lines:
        line.css = STATUS_LABELS[line.status][0]
        line.label = status_label(line.status)
        line.spark = _svg_points(line.series)
    indicator_ids = list(dict.fromkeys(line.target.indicator_id for line in lines))
    indicators = {line.target.indicator_id: line.target.indicator for line in lines}
    below, vals = selectors.values_below(unit, indicator_ids, year)
    q = (request.GET.get("q") or "").strip()
    if q:
        below = [u for u in below if q.lower() in u.name.lower()]
    sort = request.GET.get("sort") or (lines[0].target.indicator.code if lines else "")
    sort_ind = next((i for i in indicators.values() if i.code == sort), None)
    rows = []
    for u in below:
        cells = [vals.get((u.pk, iid)) for iid in indicator_ids]
        rows.append((u, cells))
    if sort_ind is not None:
        k = indicator_ids.index(sort_ind.pk)
        sign = -1 if sort_ind.direction == "up" else 1

        def key(row):
            cell = row[1][k]
            return (cell is None or cell[0] is None, sign * (cell[0] if cell and cell[0] is not None else 0))

        rows.sort(key=key)
    context = {
        "unit": unit, "year": year, "lines": lines, "rows": rows, "q": q, "sort": sort,
        "columns": [indicators[i] for i in indicator_ids], "crumbs": _breadcrumbs(request.user, unit),
        "years": SchoolYear.objects.order_by("-start_date").values_list("code", flat=True),
        "can_set": services.can_set_targets(request.user, unit),
        "is_school": unit.level.is_school,
        "dirty": year in services.dirty_years(),
    }
    if request.headers.get("HX-Request") and request.GET.get("part") == "below":
        return render(request, "indicators/_below.html", context)
    return render(request, "indicators/dashboard.html", context)


@login_required
def indicator_detail(request, unit_id: int, code: str):
    """One indicator at a unit: its trend over the year, the units below ranked, groups of a school."""
    unit = _unit_or_404(request.user, unit_id)
    indicator = get_object_or_404(Indicator, code=code)
    year = _school_year(request)
    series_codes = periods.series_of(indicator.tracked_by, year)
    if indicator.tracked_by != "year":
        series_codes = [*series_codes, year]
    trend = selectors.trend(unit, indicator, series_codes)
    below, vals = selectors.values_below(unit, [indicator.pk], year)
    rows = sorted(((u, vals.get((u.pk, indicator.pk))) for u in below),
                  key=lambda r: (r[1] is None or r[1][0] is None,
                                 (-1 if indicator.direction == "up" else 1) * ((r[1] or (0,))[0] or 0)))
    groups = []
    detail = registry.group_detail_of(code)
    if unit.level.is_school and detail is not None:
        window = periods.window(year)
        by_group = detail(window, unit.pk).get(code, {})
        # Only the groups the user reaches (a teacher her groups, a parent her child's).
        names = dict(Group.objects.for_user(request.user).filter(pk__in=list(by_group)).values_list("pk", "name"))
        for gid, (num, den) in sorted(((g, nd) for g, nd in by_group.items() if g in names),
                                      key=lambda kv: names[kv[0]]):
            groups.append((gid, names.get(gid, gid), num, den, indicator.value_of(num, den)))
    may_list = _may_list_children(request.user, unit, code)
    return render(request, "indicators/indicator.html", {
        "unit": unit, "indicator": indicator, "year": year, "trend": trend, "rows": rows, "groups": groups,
        "crumbs": _breadcrumbs(request.user, unit), "may_list": may_list,
        "chart_points": _svg_points(trend, 600, 160), "max_value": max([v for _c, v in trend if v is not None],
                                                                       default=None),
    })


def _may_list_children(user, unit: OrgUnit, code: str) -> bool:
    if not unit.level.is_school or registry.child_list_of(code) is None:
        return False
    if code in SENSITIVE_CODES and not scoping.can_view_sensitive(user, unit.pk):
        return False
    if code in HEALTH_CODES:  # a child's nutrition status: only who may read the school's measurements
        return Measurement.objects.for_user(user).filter(school_id=unit.pk).exists()
    return Child.objects.for_user(user).filter(school_id=unit.pk).exists()


@login_required
def children_behind(request, unit_id: int, code: str):
    """The children counted in a number (a school, optionally one group), for roles that may see them."""
    unit = _unit_or_404(request.user, unit_id)
    indicator = get_object_or_404(Indicator, code=code)
    year = _school_year(request)
    allowed = _may_list_children(request.user, unit, code)
    children = Child.objects.none()
    if allowed:
        group_id = request.GET.get("group")
        group_id = int(group_id) if group_id and group_id.isdigit() else None
        qs = registry.child_list_of(code)(code, periods.window(year), unit.pk, group_id)
        children = Child.objects.for_user(request.user).filter(pk__in=qs.values("pk"))
        if code in HEALTH_CODES:
            children = children.filter(pk__in=Measurement.objects.for_user(request.user).values("child_id"))
        children = children.order_by("name_folded")[:500]
    return render(request, "indicators/children.html", {
        "unit": unit, "indicator": indicator, "year": year, "children": children, "allowed": allowed,
        "crumbs": _breadcrumbs(request.user, unit),
    })


@login_required
def export_scorecard(request, unit_id: int):
    unit = _unit_or_404(request.user, unit_id)
    year = _school_year(request)
    lines = selectors.scorecard(unit, year)
    below, vals = selectors.values_below(unit, [ln.target.indicator_id for ln in lines], year)
    data = exports.scorecard_xlsx(unit, year, lines, below, vals, status_label)
    response = HttpResponse(data, content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(unit, year)}"'
    return response


@login_required
def catalogue(request):
    return render(request, "indicators/catalogue.html", {
        "indicators": Indicator.objects.all(), "computed": registry.computed_codes()})


# --- targets ---------------------------------------------------------------------------------------------------


@login_required
def targets(request, unit_id: int):
    """Set the unit's targets; the upper units' targets are offered as defaults."""
    unit = _unit_or_404(request.user, unit_id)
    can_set = services.can_set_targets(request.user, unit)
    if request.method == "POST" and not can_set:
        raise PermissionDenied
    year = _school_year(request)
    form = forms.TargetForm(request.POST or None, initial={"period": year}) if can_set else None
    if request.method == "POST":
        if request.POST.get("adopt"):
            created = services.targets_adopt(actor=request.user, unit=unit, period=year)
            messages.success(request, _("%(n)d targets taken from the level above.") % {"n": len(created)})
            return redirect(f"{request.path}?year={year}")
        if form.is_valid():
            try:
                services.target_set(actor=request.user, unit=unit, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Target saved."))
                return redirect(f"{request.path}?year={year}")
    own, offered = selectors.targets_for(unit, year)
    return render(request, "indicators/targets.html", {
        "unit": unit, "year": year, "own": own, "offered": offered, "form": form,
        "weaker": selectors.weaker_below(unit, own), "crumbs": _breadcrumbs(request.user, unit),
    })


@login_required
@require_POST
def target_delete(request, pk: int):
    target = scoping.get_or_404(Target.objects.select_related("unit"), request.user, scoping.CHANGE, pk=pk)
    services.target_delete(actor=request.user, target=target)
    messages.success(request, _("Target deleted."))
    return redirect(f"{_url('indicators:targets', target.unit_id)}?year={target.period[:9]}")


def _url(name, *args):
    from django.urls import reverse

    return reverse(name, args=args)


# --- declared values ---------------------------------------------------------------------------------------------


@login_required
def declare(request, unit_id: int):
    unit = _unit_or_404(request.user, unit_id)
    can_set = services.can_set_targets(request.user, unit)
    if request.method == "POST" and not can_set:
        raise PermissionDenied
    year = _school_year(request)
    form = forms.DeclareForm(request.POST or None, request.FILES or None, initial={"period": year}) if can_set else None
    if request.method == "POST" and form.is_valid():
        try:
            services.declared_value_submit(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Figure sent to the level above for review."))
            return redirect(f"{request.path}?year={year}")
    declared = DeclaredValue.objects.for_user(request.user).filter(unit=unit).select_related("indicator")[:100]
    return render(request, "indicators/declare.html", {
        "unit": unit, "year": year, "form": form, "declared": declared, "crumbs": _breadcrumbs(request.user, unit)})


@login_required
def reviews(request):
    """Declarations from the units below the user's, awaiting review (the unit above reviews)."""
    paths = scoping.scope_paths(request.user, OFFICER_ROLES)
    if scoping.is_admin(request.user):
        qs = DeclaredValue.objects.all()
    elif paths:
        q = Q()
        for p in paths:
            q |= Q(unit__path__startswith=p)
        qs = DeclaredValue.objects.filter(q).exclude(unit__path__in=paths)
    else:
        raise PermissionDenied
    status = request.GET.get("status") or DeclaredValue.Status.SUBMITTED
    rows = qs.filter(status=status).select_related("unit", "indicator", "declared_by")[:200]
    return render(request, "indicators/reviews.html", {"rows": rows, "status": status,
                                                       "statuses": DeclaredValue.Status.choices})


@login_required
@require_POST
def review(request, pk: int):
    declared = scoping.get_or_404(DeclaredValue.objects.select_related("unit"), request.user, scoping.VIEW, pk=pk)
    try:
        services.declared_value_review(actor=request.user, declared=declared,
                                       approve=request.POST.get("decision") == "approve",
                                       note=request.POST.get("note", ""))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, _("Review saved."))
    return redirect("indicators:reviews")


@login_required
def refresh(request, unit_id: int):
    """Recompute the unit's values for the year now (POST, officers and managers of the unit)."""
    unit = _unit_or_404(request.user, unit_id)
    year = _school_year(request)
    can = services.can_set_targets(request.user, unit)
    if request.method != "POST":
        return render(request, "indicators/refresh.html", {
            "unit": unit, "year": year, "can": can, "crumbs": _breadcrumbs(request.user, unit),
            "dirty": year in services.dirty_years()})
    if not can:
        raise PermissionDenied
    started = timezone.now()
    n = services.values_refresh(school_year=year, unit=unit)
    messages.success(request, _("%(n)d values recomputed in %(s).1f s.") % {
        "n": n, "s": (timezone.now() - started).total_seconds()})
    return redirect(f"{_url('indicators:unit', unit.pk)}?year={year}")
