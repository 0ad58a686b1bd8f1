"""The scope walker: every URL pattern of the project, requested by users who must not see the others' data.

The walker enumerates ``get_resolver().url_patterns`` recursively (project pages, the API router, the
admin, i18n), fills each pattern's parameters with the keys of objects the user may and may not see,
requests every resulting URL with GET and checks that

* no request fails with a server error;
* anonymous users never get data: pages redirect to the login page, the API answers 401/403, and
  the few public pages (login, schema, docs) mention no record of the world;
* no answer mentions the marker (``ZZ-...``) of a unit, school, site, staff member or account
  outside the user's scope, whatever the status;
* the detail of an object outside the scope is never served (200), the detail of one inside it is.

A pattern added later is walked automatically. A parameter the walker does not know makes the walk
FAIL and says where to add a filler: nothing is skipped silently.
"""

from __future__ import annotations

import itertools
import re
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

from mamnon.children.models import Child, ChildSupport, Enrolment, Group, Guardian
from mamnon.fees.models import SupportEligibility
from mamnon.indicators.models import DeclaredValue, Target
from mamnon.kitchen.models import Disclosure as KitchenDisclosure
from mamnon.kitchen.models import Dish as KitchenDish
from mamnon.kitchen.models import Food as KitchenFood
from mamnon.kitchen.models import Menu as KitchenMenu
from mamnon.org.models import Membership, OrgUnit, School, SchoolYear, Staff
from mamnon.reporting.models import (
    Duty,
    DutyReminder,
    Evidence,
    Initiative,
    Programme,
    Registration,
    Report,
    ReportForm,
)
from tests.cheap_hashing import cheap_argon2  # noqa: F401  (autouse fixture)
from tests.conftest import build_classroom, build_world

# The walk must cover at least this many patterns (there are ~140 today, most of them the admin's).
MIN_PATTERNS = 100
# A primary key no object has: the "does not exist" case of every detail URL.
MISSING_PK = 987654
# Objects per model the walker tries in a detail URL (the world holds fewer; this bounds big tables).
MAX_OBJECTS = 30

# Patterns that only make sense with POST: GET must still never fail or leak, but any status is fine.
POST_ONLY = {"logout", "set_language", "api-token", "admin:logout"}
# Patterns an anonymous visitor may open (200), provided they mention nothing of the world.
PUBLIC = {"login", "api-schema", "api-docs", "admin:login"}

# Unnamed regex groups (positional arguments) get their names here, by the pattern's URL name.
POSITIONAL_NAMES: list[tuple[re.Pattern, tuple[str, ...]]] = [
    # django-simple-history's admin: <object_id>/history/<history_id>/
    (re.compile(r"_simple_history$"), ("object_id", "history_id")),
]

# Function views name no model: the model behind their ``pk`` is listed here. A detail view missing
# from this table is still walked, with the keys of every model (and without the object checks).
MODEL_BY_URL_NAME = {
    "org:unit-detail": OrgUnit,
    "org:school-detail": School,
    "children:child-detail": Child,
    "children:group-detail": Group,
    "staff:staff-detail": Staff,
    **{f"reporting:report-{n}": Report for n in ("detail", "prefill", "submit", "return", "approve", "reopen",
                                                  "consolidate", "xlsx", "print")},
    "reporting:completeness": ReportForm,
    "reporting:duty-status": Duty,
    "reporting:duty-reminder-read": DutyReminder,
    "reporting:programme-detail": Programme,
    **{f"reporting:registration-{n}": Registration for n in ("detail", "evidence", "scores")},
    "reporting:evidence-file": Evidence,
    "reporting:evidence-delete": Evidence,
    "reporting:initiative-file": Initiative,
    "reporting:initiative-select": Initiative,
    "indicators:target-delete": Target,
    "indicators:review": DeclaredValue,
    "kitchen:food-edit": KitchenFood,
    "kitchen:price": KitchenFood,
    "kitchen:dish": KitchenDish,
    "kitchen:menu": KitchenMenu,
    "kitchen:menu-print": KitchenMenu,
    "kitchen:disclosure-print": KitchenDisclosure,
    "fees:eligibility-edit": SupportEligibility,
}


class UnfilledParameter(AssertionError):
    """A URL pattern has a parameter the walker does not know how to fill."""


# --- who sees what: an oracle written from the world's shape, not from mamnon.core.scoping ----------


@dataclass(frozen=True)
class Viewer:
    units: frozenset[str]  # units (and their schools) the user reaches
    # Named on the user's pages but not reachable: the parent unit of the user's own unit (the "Parent
    # unit" column of the lists) and the commune an own school stands in. Their records stay out of
    # reach (detail pages 404) and nothing else of theirs may show.
    shown: frozenset[str] = frozenset()
    sees_staff: bool = True
    manages_accounts: bool = True
    # The classroom (tests.conftest.build_classroom): children K1-K6 and groups G1-G4 the user reaches, the
    # children whose guardians and whose support (disability) data the user may read.
    kids: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    guardians_of: frozenset[str] = frozenset()
    support_of: frozenset[str] = frozenset()


S1A_KIDS = frozenset({"K1", "K2", "K3", "K4"})
VIEWERS = {
    "principal1a": Viewer(units=frozenset({"S1a"}), shown=frozenset({"D1", "C1"}), kids=S1A_KIDS,
                          groups=frozenset({"G1", "G2"}), guardians_of=S1A_KIDS, support_of=frozenset({"K1"})),
    "principal2": Viewer(units=frozenset({"S2"}), shown=frozenset({"D2", "C2"}), kids=frozenset({"K6"}),
                         groups=frozenset({"G4"}), guardians_of=frozenset({"K6"})),
    # Offices see children and groups of their schools, never the families' contacts or support data.
    "district2": Viewer(units=frozenset({"D2", "C2", "S2"}), shown=frozenset({"P"}), kids=frozenset({"K6"}),
                        groups=frozenset({"G4"})),
    # A parent: her own child K1 only, not K2 and K3 who share the group G1.
    "parent1a": Viewer(units=frozenset({"S1a"}), shown=frozenset({"D1", "C1"}), sees_staff=False,
                       manages_accounts=False, kids=frozenset({"K1"}), groups=frozenset({"G1"}),
                       guardians_of=frozenset({"K1"}), support_of=frozenset({"K1"})),
}
ANONYMOUS = "anonymous"
WALKERS = [ANONYMOUS, "principal2", "district2", "parent1a", "principal1a"]


def user_marker(key: str) -> str:
    return f"ZZ-user-{key}"


@dataclass
class Scope:
    """What one user may reach in the world, and the markers that must never reach them."""

    key: str
    viewer: Viewer | None
    user: object | None
    unit_keys: set[str]
    user_keys: set[str]
    forbidden: set[str]

    @cached_property
    def marker_re(self) -> re.Pattern:
        # A marker followed by a letter, digit or '-' is another marker ('ZZ-S1' is not 'ZZ-S1a').
        alternatives = "|".join(re.escape(m) for m in sorted(self.forbidden, key=len, reverse=True))
        return re.compile(rf"(?:{alternatives})(?![\w-])")

    def may_see(self, obj) -> bool | None:
        """True/False for the world's objects; None when the oracle has no rule for the model."""
        if self.user is None:
            return False
        v = self.viewer
        if isinstance(obj, School):
            return obj.unit.code in self.unit_keys
        if isinstance(obj, OrgUnit):
            return obj.code in self.unit_keys
        if isinstance(obj, Staff):
            return v.sees_staff and obj.unit.code in self.unit_keys
        if isinstance(obj, Membership):
            return obj.user_id == self.user.pk or (v.manages_accounts and obj.unit.code in self.unit_keys)
        if isinstance(obj, get_user_model()):
            return obj.username in self.user_keys
        if isinstance(obj, SchoolYear):
            return True
        if isinstance(obj, Child):
            return _key(obj.full_name, "child") in v.kids
        if isinstance(obj, Group):
            return _key(obj.name, "group") in v.groups
        if isinstance(obj, Guardian):
            return _key(obj.full_name, "guardian") in v.guardians_of
        if isinstance(obj, ChildSupport):
            return _key(obj.child.full_name, "child") in v.support_of
        if isinstance(obj, Enrolment):
            return _key(obj.child.full_name, "child") in v.kids
        return None


def _key(marker: str, kind: str) -> str:
    return marker.removeprefix(f"ZZ-{kind}-")


KIDS = ("K1", "K2", "K3", "K4", "K5", "K6")
GROUPS = ("G1", "G2", "G3", "G4")
SUPPORT = ("K1",)


def scope_for(world, key: str) -> Scope:
    all_units = set(world.units)
    schools = set(world.schools)
    everything = (
        {world.marker(k) for k in all_units}
        | {world.marker(f"site-{k}") for k in schools}
        | {world.marker(f"staff-{k}") for k in schools}
        | {world.marker("staff-teacher1a")}
        | {user_marker(k) for k in world.users}
        | {world.marker(f"child-{k}") for k in KIDS}
        | {world.marker(f"guardian-{k}") for k in KIDS}
        | {world.marker(f"group-{k}") for k in GROUPS}
        | {f"ZZ-disability-{k}" for k in SUPPORT}
    )
    if key == ANONYMOUS:
        return Scope(key, None, None, set(), set(), everything)
    viewer = VIEWERS[key]
    user = world.users[key]
    units = set(viewer.units)
    visible_users = {key}
    if viewer.manages_accounts:
        for ukey, u in world.users.items():
            if Membership.objects.filter(user=u, unit__code__in=units).exists():
                visible_users.add(ukey)
    allowed = (
        {world.marker(k) for k in units | viewer.shown}
        | {world.marker(f"site-{k}") for k in units & schools}
        | ({world.marker(f"staff-{k}") for k in units & schools} if viewer.sees_staff else set())
        | ({world.marker("staff-teacher1a")} if viewer.sees_staff and "S1a" in units else set())
        | {user_marker(k) for k in visible_users}
        | {world.marker(f"child-{k}") for k in viewer.kids}
        | {world.marker(f"guardian-{k}") for k in viewer.guardians_of}
        | {world.marker(f"group-{k}") for k in viewer.groups}
        | {f"ZZ-disability-{k}" for k in viewer.support_of}
    )
    return Scope(key, viewer, user, units, visible_users, everything - allowed)


# --- enumerating the URL patterns ------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Route:
    regex: str  # the full regex, as Django's own reverse() builds it
    name: str | None  # namespaced URL name ('org:unit-detail'), None for unnamed patterns
    callback: Callable
    converters: dict
    text: str  # readable: the concatenated route strings

    @property
    def label(self) -> str:
        return f"{self.text!r} (name={self.name!r})"


def iter_routes(patterns=None, regex: str = "^", converters=None, namespace: str = "",
                text: str = "") -> Iterator[Route]:
    if patterns is None:
        patterns = get_resolver().url_patterns
    for p in patterns:
        own = p.pattern.regex.pattern.removeprefix("^")
        conv = {**(converters or {}), **getattr(p.pattern, "converters", {})}
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from iter_routes(p.url_patterns, regex + own, conv, ns, text + str(p.pattern))
        elif isinstance(p, URLPattern):
            name = f"{namespace}{p.name}" if p.name else None
            yield Route(regex + own, name, p.callback, conv, text + str(p.pattern))
        else:  # pragma: no cover - Django has no third kind today
            raise UnfilledParameter(f"unknown URL entry {p!r}: teach tests/test_scope_walker.py to walk it")


def _model_admin_of(callback):
    fn = callback
    while fn is not None:
        ma = getattr(fn, "model_admin", None) or getattr(fn, "__self__", None)
        if isinstance(ma, admin.ModelAdmin):
            return ma
        fn = getattr(fn, "__wrapped__", None)
    return None


def model_of(route: Route):
    """The model whose keys the route's parameters name, when it can be told."""
    cls = getattr(route.callback, "cls", None)  # a DRF view or viewset
    if cls is not None:
        qs = getattr(cls, "queryset", None)
        if qs is not None:
            return qs.model
    view_class = getattr(route.callback, "view_class", None)  # a Django class-based view
    if view_class is not None:
        model = getattr(view_class, "model", None)
        qs = getattr(view_class, "queryset", None)
        if model is not None or qs is not None:
            return model or qs.model
    ma = _model_admin_of(route.callback)
    if ma is not None:
        return ma.model
    return MODEL_BY_URL_NAME.get(route.name)


# --- filling the parameters -------------------------------------------------------------------------


@dataclass(frozen=True)
class Fill:
    values: dict[str, str]
    obj: object | None = None  # the object the URL is about, for the visibility checks


@dataclass
class FillContext:
    route: Route
    model: type | None
    world_models: list = field(default_factory=list)


def _objects(model) -> list:
    return list(model._default_manager.order_by("pk")[:MAX_OBJECTS])


def _fill_pk(name: str) -> Callable[[FillContext], list[Fill]]:
    def filler(ctx: FillContext) -> list[Fill]:
        if ctx.model is not None:
            fills = [Fill({name: str(o.pk)}, o) for o in _objects(ctx.model)]
        else:  # unknown model: every key of every model of the world, without the object checks
            keys = sorted({o.pk for m in ctx.world_models for o in _objects(m)})
            fills = [Fill({name: str(k)}) for k in keys]
        return fills + [Fill({name: str(MISSING_PK)})]

    return filler


def _fill_format(ctx: FillContext) -> list[Fill]:
    return [Fill({"format": "json"}), Fill({"format": "api"})]


def _fill_app_label(ctx: FillContext) -> list[Fill]:
    return [Fill({"app_label": label}) for label in sorted({m._meta.app_label for m in admin.site._registry})]


def _fill_model_name(ctx: FillContext) -> list[Fill]:
    models = [ctx.model] if ctx.model is not None else list(admin.site._registry)
    return [Fill({"model_name": m._meta.model_name}) for m in models]


def _fill_url(ctx: FillContext) -> list[Fill]:
    return [Fill({"url": "zz-no-such-page/"}), Fill({"url": "zz-no-such-page"})]


def _fill_content_object(ctx: FillContext) -> list[Fill]:
    fills = []
    for model in ctx.world_models:
        ct = str(ContentType.objects.get_for_model(model).pk)
        fills += [Fill({"content_type_id": ct, "object_id": str(o.pk)}, o) for o in _objects(model)]
        fills.append(Fill({"content_type_id": ct, "object_id": str(MISSING_PK)}))
    return fills


def _fill_history(ctx: FillContext) -> list[Fill]:
    model = ctx.model
    fills = [Fill({"object_id": str(MISSING_PK), "history_id": str(MISSING_PK)})]
    if model is None or not hasattr(model, "history"):
        return fills
    for o in _objects(model):
        record = model.history.filter(**{model._meta.pk.attname: o.pk}).order_by("-history_id").first()
        if record is not None:
            fills.append(Fill({"object_id": str(o.pk), "history_id": str(record.history_id)}, o))
    return fills


def _fill_keys(name: str, model_path: str) -> Callable[[FillContext], list[Fill]]:
    """Keys of one model (without the object checks: the page is about another object too)."""

    def filler(ctx: FillContext) -> list[Fill]:
        from django.apps import apps

        model = apps.get_model(model_path)
        return [Fill({name: str(o.pk)}) for o in _objects(model)] + [Fill({name: str(MISSING_PK)})]

    return filler


def _fill_unit_id(ctx: FillContext) -> list[Fill]:
    """Indicator dashboards take a unit id (an OrgUnit)."""
    return [Fill({"unit_id": str(o.pk)}, o) for o in _objects(OrgUnit)] + [Fill({"unit_id": str(MISSING_PK)})]


def _fill_unit_code(ctx: FillContext) -> list[Fill]:
    """An indicator at a unit: every unit with a computed code (FULLDAY) and a disability one (INCLUSION)."""
    fills = []
    for code in ("FULLDAY", "INCLUSION"):
        fills += [Fill({"unit_id": f.values["unit_id"], "code": code}, f.obj) for f in _fill_unit_id(ctx)]
    return fills


def _fill_code(ctx: FillContext) -> list[Fill]:
    """An indicator code of the catalogue (the same for everyone), and one that does not exist."""
    return [Fill({"code": "FULLDAY"}), Fill({"code": "ZZNOSUCHCODE"})]


# Fillers for several parameters at once (values that belong together), tried before the single ones.
GROUP_FILLERS: list[tuple[frozenset[str], Callable[[FillContext], list[Fill]]]] = [
    (frozenset({"unit_id", "code"}), _fill_unit_code),
    (frozenset({"content_type_id", "object_id"}), _fill_content_object),
    (frozenset({"object_id", "history_id"}), _fill_history),
]
# One parameter, by name. A new URL parameter needs an entry here (or in GROUP_FILLERS).
FILLERS: dict[str, Callable[[FillContext], list[Fill]]] = {
    "pk": _fill_pk("pk"),
    "id": _fill_pk("id"),
    "object_id": _fill_pk("object_id"),
    "format": _fill_format,
    "app_label": _fill_app_label,
    "model_name": _fill_model_name,
    "url": _fill_url,
    "group_pk": _fill_keys("group_pk", "children.Group"),
    "school_pk": _fill_keys("school_pk", "org.School"),
    "child_pk": _fill_keys("child_pk", "children.Child"),
    "period": lambda ctx: [Fill({"period": "2023-2024/R1"}), Fill({"period": "zz-not-a-period"})],
    "unit_id": _fill_unit_id,
    "code": _fill_code,
}


@dataclass(frozen=True)
class Target:
    route: Route
    url: str
    obj: object | None = None


def _param_names(route: Route, params: list[str]) -> list[str]:
    positional = [p for p in params if re.fullmatch(r"_\d+", p)]
    if not positional:
        return params
    for rx, names in POSITIONAL_NAMES:
        if route.name and rx.search(route.name) and len(names) == len(positional):
            mapping = dict(zip(positional, names, strict=True))
            return [mapping.get(p, p) for p in params]
    raise UnfilledParameter(
        f"URL pattern {route.label} has {len(positional)} unnamed group(s): the scope walker cannot fill "
        f"them. Name the groups (?P<name>...) or add the pattern to POSITIONAL_NAMES in "
        f"tests/test_scope_walker.py."
    )


def targets_for(route: Route, world_models: list) -> list[Target]:
    """Every concrete URL the walker requests for one pattern."""
    ctx = FillContext(route, model_of(route), world_models)
    out: dict[str, Target] = {}
    for fmt, params in normalize(route.regex):
        names = _param_names(route, list(params))
        if names != list(params):  # positional groups: fill by position
            fmt = fmt % {p: f"%({n})s" for p, n in zip(params, names, strict=True)}
        remaining = set(names)
        choices: list[list[Fill]] = []
        for group, filler in GROUP_FILLERS:
            if group <= remaining:
                choices.append(filler(ctx))
                remaining -= group
        for name in sorted(remaining):
            if name not in FILLERS:
                raise UnfilledParameter(
                    f"URL pattern {route.label} has a parameter {name!r} the scope walker does not know. "
                    f"Add a filler for {name!r} to FILLERS (or GROUP_FILLERS) in tests/test_scope_walker.py, "
                    f"giving keys of objects inside and outside the caller's scope."
                )
            choices.append(FILLERS[name](ctx))
        for combo in itertools.product(*choices):
            values: dict[str, str] = {}
            objs = [f.obj for f in combo if f.obj is not None]
            for f in combo:
                values.update(f.values)
            for name, value in list(values.items()):
                conv = route.converters.get(name)
                if conv is not None:
                    values[name] = str(conv.to_url(conv.to_python(value)))
            url = "/" + fmt % values
            out.setdefault(url, Target(route, url, objs[0] if len(objs) == 1 else None))
    return list(out.values())


def world_models() -> list:
    """Models holding the world's records (those a detail URL can be about)."""
    from mamnon.core.models import ScopedModel

    models = [m for m in apps.get_models() if issubclass(m, ScopedModel)]
    return [get_user_model(), *models, SchoolYear]


def walk(routes: Iterable[Route] | None = None) -> tuple[list[Route], list[Target], list[str]]:
    """All routes, their concrete URLs, and problems of the walk itself (URLs that do not resolve back)."""
    routes = list(iter_routes() if routes is None else routes)
    models = world_models()
    targets, problems = [], []
    for route in routes:
        for t in targets_for(route, models):
            try:
                match = resolve(t.url)
            except Resolver404:
                problems.append(f"{t.url}: built for {route.label} but does not resolve")
                continue
            if match.func is not route.callback:
                problems.append(f"{t.url}: built for {route.label} but resolves to {match.route!r}")
            targets.append(t)
    return routes, targets, problems


# --- the world, with a marker on every account ------------------------------------------------------


@pytest.fixture
def marked_world(db):
    w = build_world()
    User = get_user_model()
    for key, user in w.users.items():
        User.objects.filter(pk=user.pk).update(full_name=user_marker(key))
        user.full_name = user_marker(key)
    c = build_classroom(w)  # school year 2023-2024 (current), groups, children, guardians, support data
    # A fees-side support record (its page names the child) at each of S1a and S2.
    for key in ("K1", "K6"):
        child = c.children[key]
        SupportEligibility.objects.create(school=child.school, child=child, situation="war_merit",
                                          evidence="GCN 1/2021", valid_from=c.year.start_date)
    return w


def _login_paths() -> tuple[str, ...]:
    return reverse("login"), reverse("admin:login")


def check_response(scope: Scope, target: Target, response, body: str) -> list[str]:
    """What is wrong with one answer (an empty list when nothing is)."""
    problems = []
    where = f"{scope.key} GET {target.url} [{target.route.label}] -> {response.status_code}"
    status = response.status_code
    if status >= 500:
        problems.append(f"{where}: server error")
    leaked = sorted(set(scope.marker_re.findall(body)))
    if leaked:
        problems.append(f"{where}: mentions out-of-scope {', '.join(leaked)}")
    name = target.route.name
    if scope.user is None:
        if "ZZ-" in body:
            problems.append(f"{where}: anonymous answer mentions the world ({body.count('ZZ-')} markers)")
        if name in POST_ONLY:
            return problems
        if status == 200 and name not in PUBLIC:
            problems.append(f"{where}: anonymous visitor got 200 on a non-public URL")
        elif status in (301, 302):
            location = response.headers.get("Location", "")
            if not location.startswith(_login_paths()):
                problems.append(f"{where}: anonymous redirect to {location!r}, not to a login page")
        elif status not in (200, 401, 403):
            problems.append(f"{where}: anonymous visitor should be sent to log in (302) or refused (401/403)")
        return problems
    if target.obj is None or name in POST_ONLY:
        return problems
    visible = scope.may_see(target.obj)
    in_admin = target.url.startswith(reverse("admin:index"))
    if visible is False and status == 200:
        problems.append(f"{where}: serves {target.obj._meta.label} #{target.obj.pk}, outside the scope")
    if visible is True and not in_admin and status != 200:
        problems.append(f"{where}: refuses {target.obj._meta.label} #{target.obj.pk}, inside the scope")
    return problems


def request_all(client: Client, scope: Scope, targets: list[Target]) -> tuple[list[str], dict]:
    problems: list[str] = []
    stats = {"requests": 0, "ok": 0, "own_marker_pages": 0}
    for t in targets:
        stats["requests"] += 1
        try:
            response = client.get(t.url)
        except Exception as exc:  # the test client re-raises a view's exception: that is a 500
            tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
            problems.append(f"{scope.key} GET {t.url} [{t.route.label}] -> 500: {tb}")
            continue
        body = b"".join(response) if getattr(response, "streaming", False) else response.content
        text = body.decode("utf-8", errors="replace")
        problems += check_response(scope, t, response, text)
        if response.status_code == 200:
            stats["ok"] += 1
            if scope.unit_keys and any(f"ZZ-{k}" in text for k in scope.unit_keys):
                stats["own_marker_pages"] += 1
    return problems, stats


def _report(problems: list[str], limit: int = 60) -> str:
    more = f"\n... and {len(problems) - limit} more" if len(problems) > limit else ""
    return "\n".join(problems[:limit]) + more


@pytest.mark.parametrize("who", WALKERS)
def test_every_url_keeps_to_the_scope(marked_world, who):
    routes, targets, problems = walk()
    assert not problems, "the walker built URLs that do not reach their pattern:\n" + _report(problems)
    scope = scope_for(marked_world, who)
    client = Client()
    if scope.user is not None:
        client.force_login(scope.user)
    problems, stats = request_all(client, scope, targets)
    assert not problems, f"{len(problems)} problem(s) in {stats['requests']} requests:\n" + _report(problems)
    if scope.user is not None:
        # Positive control: the user does see her own records somewhere, so the marker checks can bite.
        assert stats["own_marker_pages"] > 0, f"{who} never saw a marker of {sorted(scope.unit_keys)}"


def test_every_url_renders_for_the_administrator(marked_world):
    """The superuser reaches everything (the admin's pages included): no URL may fail with a server error."""
    _routes, all_targets, _problems = walk()
    # Every pattern, with a few of its URLs (the first objects and the missing key): admin pages are slow.
    by_route: dict[Route, list[Target]] = {}
    for t in all_targets:
        by_route.setdefault(t.route, []).append(t)
    targets = [t for ts in by_route.values() for t in dict.fromkeys(ts[:2] + ts[-1:])]
    client = Client()
    client.force_login(marked_world.users["admin"])
    failures, served_routes = [], set()
    for t in targets:
        try:
            response = client.get(t.url)
        except Exception as exc:
            failures.append(f"admin GET {t.url} [{t.route.label}]: {type(exc).__name__}: {exc}")
            continue
        if response.status_code >= 500:
            failures.append(f"admin GET {t.url} [{t.route.label}] -> {response.status_code}")
        if response.status_code == 200:
            served_routes.add(t.route)
    assert not failures, _report(failures)
    # Sanity: the superuser is really served the pages. Count the patterns without parameters (lists,
    # forms, dashboards): a detail URL is tried with a few keys only, often of another model, and the
    # world holds no rows of most domains, so detail patterns say little.
    plain = [r for r in by_route if re.compile(r.regex).groups == 0 and r.name not in POST_ONLY]
    served_plain = [r for r in plain if r in served_routes]
    assert len(served_plain) >= 0.8 * len(plain), (
        f"the administrator was served only {len(served_plain)} of {len(plain)} patterns without parameters: "
        + ", ".join(sorted(r.label for r in plain if r not in served_routes)))
    assert len(served_routes) > len(by_route) // 3, (
        f"the administrator was served only {len(served_routes)} of {len(by_route)} patterns")


def test_walker_covers_every_pattern(marked_world):
    routes, targets, problems = walk()
    assert len(routes) >= MIN_PATTERNS, f"only {len(routes)} URL patterns walked"
    assert not problems, _report(problems)
    walked = {t.route for t in targets}
    missing = [r.label for r in routes if r not in walked]
    assert not missing, "patterns without a concrete URL:\n" + "\n".join(missing)
    names = {r.name for r in routes}
    for expected in ("org:unit-detail", "org:school-detail", "unit-detail", "api-schema", "set_language",
                     "admin:index", "admin:org_orgunit_change", "admin:org_school_simple_history"):
        assert expected in names, f"{expected} not walked"
    # Detail URLs carry the keys of objects of the right model, both inside and outside any one scope.
    school_urls = {t.url for t in targets if t.route.name == "org:school-detail"}
    for key in ("S1a", "S2"):
        assert f"/org/schools/{marked_world.schools[key].pk}/" in school_urls


def test_positive_control_principal_sees_her_school(marked_world, client):
    client.force_login(marked_world.users["principal1a"])
    body = client.get(reverse("org:school-list")).content.decode()
    assert "ZZ-S1a" in body
    assert "ZZ-S1b" not in body and "ZZ-S2" not in body
    # And the oracle agrees with the page: S1b and S2 are forbidden markers for her.
    scope = scope_for(marked_world, "principal1a")
    assert {"ZZ-S1b", "ZZ-S2", "ZZ-staff-S2", "ZZ-user-principal2"} <= scope.forbidden
    assert "ZZ-S1a" not in scope.forbidden


def test_marker_check_catches_a_leak(marked_world):
    """The checks fail when a page does mention another school (so a green walk means something)."""
    scope = scope_for(marked_world, "principal2")
    route = next(r for r in iter_routes() if r.name == "org:school-list")
    response = type("R", (), {"status_code": 200, "headers": {}})()
    problems = check_response(scope, Target(route, "/org/schools/"), response, "<td>ZZ-S1a</td><td>ZZ-S2</td>")
    assert problems and "ZZ-S1a" in problems[0] and "ZZ-S2," not in problems[0]
    # A longer marker is another marker: 'ZZ-S1a' is not found in 'ZZ-S1ab' nor in 'ZZ-S1a-x'.
    assert check_response(scope, Target(route, "/org/schools/"), response, "<td>ZZ-S1ab ZZ-S1a-x</td>") == []


def test_unknown_parameter_fails_loudly():
    from django.urls import path

    def view(request, frobnicate):  # pragma: no cover - never called
        raise AssertionError

    routes = list(iter_routes([path("zz/<int:frobnicate>/", view, name="zz-new")]))
    with pytest.raises(UnfilledParameter, match=r"'frobnicate'.*Add a filler"):
        targets_for(routes[0], [])
