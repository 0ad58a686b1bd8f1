"""Pages of the handover book (đón - trả trẻ) and of incidents. Every queryset goes through core.scoping; every
write through mamnon.attendance.handover_services."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamnon.attendance import handover_services as services
from mamnon.attendance.models import Attendance, Handover, Incident
from mamnon.children.models import Child, ChildStatus, Enrolment, Group, Guardian
from mamnon.core import clock, scoping
from mamnon.core.pages import apply_errors
from mamnon.core.roles import SCHOOL_STAFF_ROLES
from mamnon.org.models import School

PAGE_SIZE = 50
BOOK_MAX_DAYS = 31


# --- small helpers ----------------------------------------------------------------------------------------


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def parse_day(raw: str | None) -> tuple[dt.date, str]:
    """A day from a query parameter (dd/mm/yyyy or yyyy-mm-dd); today, with a message, when unreadable."""
    today = clock.today()
    if not raw:
        return today, ""
    try:
        return forms.DateField().clean(raw), ""
    except ValidationError:
        return today, _("%(value)s is not a date (dd/mm/yyyy): showing today.") % {"value": raw[:20]}


def _require_staff(user) -> None:
    if not services.is_school_staff(user):
        raise PermissionDenied(_("The handover book is for the school's staff; parents use the parent portal."))


def _group_or_404(user, pk) -> Group:
    return scoping.get_or_404(Group.objects.select_related("school__unit", "school_year"), user, pk=pk)


def signature_uri(svg: str) -> str:
    """A stored signature as a data: URI for an <img> (an image cannot run scripts, whatever it holds)."""
    if not svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# --- forms (choices come from rows already loaded, so building them costs no query) ----------------------


class TemperatureField(forms.CharField):
    """Typed as on a phone ("36,8" or "36.8"); handover_services.clean_temperature checks the range."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "36,8",
                                                           "autocomplete": "off", "size": 5}))
        super().__init__(max_length=10, required=False, **kwargs)


def _guardian_choices(guardians, *, blank=True):
    choices = [("", "—")] if blank else []
    return choices + [(str(g.pk), str(g)) for g in guardians]


class DropoffForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("State"), choices=Handover.State.choices,
                              initial=Handover.State.NORMAL, widget=forms.RadioSelect)
    temperature = TemperatureField(label=gettext_lazy("Temperature (°C)"))
    symptoms = forms.CharField(label=gettext_lazy("Symptoms"), max_length=300, required=False)
    medicine = forms.CharField(label=gettext_lazy("Medicine the parent asks the school to give"), max_length=200,
                               required=False)
    medicine_dose = forms.CharField(label=gettext_lazy("Dose"), max_length=100, required=False)
    medicine_time = forms.CharField(label=gettext_lazy("Time to give it"), max_length=60, required=False)
    brought_by = forms.ChoiceField(label=gettext_lazy("Brought by"), required=False)
    time = forms.TimeField(label=gettext_lazy("Time (empty: now)"), required=False,
                           widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, *args, guardians, **kwargs):
        super().__init__(*args, **kwargs)
        self.guardians = {str(g.pk): g for g in guardians}
        self.fields["brought_by"].choices = _guardian_choices(guardians)

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"state": d["state"], "temperature": d["temperature"], "symptoms": d["symptoms"],
                "medicine": d["medicine"], "medicine_dose": d["medicine_dose"], "medicine_time": d["medicine_time"],
                "brought_by": self.guardians.get(d["brought_by"]), "at": d["time"]}


class QuickDropoffForm(forms.Form):
    """One tap in the morning rush: arrived, normal, brought by the chosen guardian."""

    brought_by = forms.ChoiceField(label=gettext_lazy("Brought by"), required=False)

    def __init__(self, *args, guardians, **kwargs):
        super().__init__(*args, **kwargs)
        self.guardians = {str(g.pk): g for g in guardians}
        self.fields["brought_by"].choices = _guardian_choices(guardians)


class PinConfirmForm(forms.Form):
    guardian = forms.ChoiceField(label=gettext_lazy("Guardian"))
    pin = forms.CharField(label=gettext_lazy("PIN (4 digits)"), max_length=4, min_length=4, strip=True,
                          widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password",
                                                            "pattern": "[0-9]{4}", "size": 4}))

    def __init__(self, *args, guardians, **kwargs):
        super().__init__(*args, **kwargs)
        self.guardians = {str(g.pk): g for g in guardians}
        self.fields["guardian"].choices = [
            (str(g.pk), str(g) if g.pin_hash else _("%(guardian)s — no PIN yet") % {"guardian": g})
            for g in guardians
        ]


class SignatureForm(forms.Form):
    guardian = forms.ChoiceField(label=gettext_lazy("Guardian"))
    signature = forms.CharField(required=False, widget=forms.HiddenInput, strip=True)

    def __init__(self, *args, guardians, **kwargs):
        super().__init__(*args, **kwargs)
        self.guardians = {str(g.pk): g for g in guardians}
        self.fields["guardian"].choices = _guardian_choices(guardians, blank=False)


class PickupForm(forms.Form):
    OTHER = "other"
    collected_by = forms.ChoiceField(label=gettext_lazy("Collected by"))
    other_name = forms.CharField(label=gettext_lazy("Name, if not on the list"), max_length=150, required=False)
    override_reason = forms.CharField(label=gettext_lazy("Reason for allowing someone not on the list"),
                                      max_length=300, required=False)
    meals = forms.CharField(label=gettext_lazy("Meals eaten"), max_length=200, required=False)
    nap = forms.CharField(label=gettext_lazy("Nap"), max_length=100, required=False)
    day_notes = forms.CharField(label=gettext_lazy("Notes of the day"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    time = forms.TimeField(label=gettext_lazy("Time (empty: now)"), required=False,
                           widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, *args, guardians, pickups, day, can_override, **kwargs):
        super().__init__(*args, **kwargs)
        self.guardians = {f"g{g.pk}": g for g in guardians}
        self.pickups = {f"p{p.pk}": p for p in pickups}
        choices = [("", "—")]
        choices += [(key, str(g)) for key, g in self.guardians.items()]
        for key, p in self.pickups.items():
            label = f"{p.full_name} ({p.relation})" if p.relation else p.full_name
            if not p.valid_on(day):
                label = _("%(person)s — not valid on this day") % {"person": label}
            choices.append((key, label))
        choices.append((self.OTHER, _("Someone else (not on the list)")))
        self.fields["collected_by"].choices = choices
        if not can_override:
            del self.fields["override_reason"]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        choice = d["collected_by"]
        return {"guardian": self.guardians.get(choice), "person": self.pickups.get(choice),
                "other_name": d["other_name"] if choice == self.OTHER else "",
                "override_reason": d.get("override_reason", ""), "meals": d["meals"], "nap": d["nap"],
                "day_notes": d["day_notes"], "at": d["time"]}


# --- the group's day ---------------------------------------------------------------------------------------


@dataclass
class ChildRow:
    child: Child
    handover: Handover | None
    guardians: list[Guardian] = field(default_factory=list)

    @property
    def primary_guardian(self) -> Guardian | None:
        return next((g for g in self.guardians if g.is_primary), self.guardians[0] if self.guardians else None)

    @property
    def status(self) -> str:
        h = self.handover
        if h is None or (h.dropoff_at is None and h.pickup_at is None):
            return "waiting"
        if h.pickup_at:
            return "collected"
        return "confirmed" if h.confirmed_at else "arrived"


def _rows(user, group: Group, day: dt.date) -> list[ChildRow]:
    """Four queries whatever the group's size: children, handovers, guardians (and the teacher check)."""
    children = list(services.children_of_group_day(user=user, group=group, day=day))
    ids = [c.pk for c in children]
    handovers = services.handovers_by_child(user=user, group=group, day=day)
    guardians = services.guardians_by_child(user=user, child_ids=ids)
    return [ChildRow(c, handovers.get(c.pk), guardians.get(c.pk, [])) for c in children]


def _day_url(group: Group, day: dt.date, child_id: int | None = None) -> str:
    params = {"date": day.strftime("%d/%m/%Y")}
    if child_id:
        params["child"] = child_id
    url = reverse("attendance:handover-day", args=[group.pk]) + "?" + urlencode(params)
    return url + (f"#child-{child_id}" if child_id else "")


def _panel_forms(request, row: ChildRow, day: dt.date, *, can_override: bool, bound: str | None = None) -> dict:
    """The forms of one child's panel; ``bound`` names the one that receives the POST."""
    pickups = services.pickups_by_child(user=request.user, child_ids=[row.child.pk]).get(row.child.pk, [])
    for p in pickups:
        p.valid_today = p.valid_on(day)
    h = row.handover
    data = request.POST if bound else None
    dropoff_initial = {}
    if h is not None and h.dropoff_at:
        dropoff_initial = {k: getattr(h, k) for k in services.DROPOFF_HEALTH_FIELDS}
        if h.temperature is not None:
            dropoff_initial["temperature"] = formats.localize(h.temperature)
        dropoff_initial["brought_by"] = h.dropoff_by_id
        dropoff_initial["time"] = timezone.localtime(h.dropoff_at).time()
    elif row.primary_guardian:
        dropoff_initial["brought_by"] = row.primary_guardian.pk
    pickup_initial = {}
    if h is not None and h.pickup_at:
        pickup_initial = {"meals": h.meals, "nap": h.nap, "day_notes": h.day_notes,
                          "other_name": h.pickup_other_name,
                          "collected_by": (f"g{h.pickup_guardian_id}" if h.pickup_guardian_id
                                           else f"p{h.pickup_person_id}" if h.pickup_person_id
                                           else PickupForm.OTHER)}
    elif h is not None:
        pickup_initial = {"meals": h.meals, "nap": h.nap, "day_notes": h.day_notes}
    return {
        "dropoff": DropoffForm(data if bound == "dropoff" else None, guardians=row.guardians,
                               initial=dropoff_initial, prefix="d"),
        "pin": PinConfirmForm(data if bound == "pin" else None, guardians=row.guardians, prefix="pin"),
        "signature": SignatureForm(data if bound == "signature" else None, guardians=row.guardians, prefix="sig"),
        "pickup": PickupForm(data if bound == "pickup" else None, guardians=row.guardians, pickups=pickups, day=day,
                             can_override=can_override, initial=pickup_initial, prefix="p"),
        "pickups": pickups,
    }


def _handle_post(request, group: Group, day: dt.date, row: ChildRow, forms_: dict) -> str | None:
    """Run the chosen action; the success notice, or None when a form holds errors."""
    user, child = request.user, row.child
    action = request.POST.get("action")
    try:
        if action == "quick":
            quick = QuickDropoffForm(request.POST, guardians=row.guardians, prefix="q")
            if not quick.is_valid():
                forms_["dropoff"].add_error("brought_by", quick.errors.get("brought_by"))
                return None
            row.handover = services.handover_dropoff(actor=user, group=group, child=child, day=day,
                                                     brought_by=quick.guardians.get(quick.cleaned_data["brought_by"]))
            return _("%(child)s arrived: recorded.") % {"child": child.full_name}
        form = forms_.get(action)
        if form is None or action == "pickups":
            raise ValidationError(_("Unknown action."))
        if not form.is_valid():
            return None
        if action == "dropoff":
            row.handover = services.handover_dropoff(actor=user, group=group, child=child, day=day,
                                                     **form.service_kwargs())
            return _("Drop-off of %(child)s recorded.") % {"child": child.full_name}
        if action == "pickup":
            row.handover = services.handover_pickup(actor=user, group=group, child=child, day=day,
                                                    **form.service_kwargs())
            return _("Pick-up of %(child)s recorded.") % {"child": child.full_name}
        if row.handover is None or row.handover.dropoff_at is None:
            raise ValidationError(_("The drop-off has not been recorded yet: the teacher records it first."))
        guardian = form.guardians.get(form.cleaned_data["guardian"])
        if action == "pin":
            row.handover = services.handover_confirm_pin(actor=user, handover=row.handover, guardian=guardian,
                                                         pin=form.cleaned_data["pin"])
        else:
            row.handover = services.handover_confirm_signature(
                actor=user, handover=row.handover, guardian=guardian, signature=form.cleaned_data["signature"])
        return _("Drop-off of %(child)s confirmed by %(guardian)s.") % {"child": child.full_name,
                                                                       "guardian": guardian.full_name}
    except ValidationError as exc:
        target = forms_.get(action) if action in ("dropoff", "pickup", "pin", "signature") else forms_["dropoff"]
        apply_errors(target, exc, {"guardian": "guardian", "date": "time"})
        return None


@login_required
def handover_groups(request):
    """The groups whose handover book the user keeps or reads, with today's counts."""
    _require_staff(request.user)
    today, day_error = parse_day(request.GET.get("date"))
    user = request.user

    def count(qs):
        return Coalesce(Subquery(qs.order_by().values("group_id").annotate(n=Count("pk")).values("n")[:1],
                                 output_field=IntegerField()), Value(0))

    open_enrolments = Enrolment.objects.filter(services.enrolled_q(today), group=OuterRef("pk"))
    day_handovers = Handover.objects.filter(group=OuterRef("pk"), date=today)
    groups = (
        scoping.restrict(Group.objects.filter(active=True, school_year__is_current=True), user)
        .select_related("school__unit")
        .annotate(
            enrolled=count(open_enrolments),
            arrived=count(day_handovers.filter(dropoff_at__isnull=False)),
            confirmed=count(day_handovers.filter(confirmed_at__isnull=False)),
            collected=count(day_handovers.filter(pickup_at__isnull=False)),
        )
        .order_by("school__unit__name", "age_band", "name")
    )
    return render(request, "attendance/handover_groups.html",
                  {"groups": groups, "day": today, "day_error": day_error})


@login_required
def handover_day(request, pk):
    """One group's drop-offs and pick-ups for a day, phone first: a row per child, one child's panel open."""
    user = request.user
    _require_staff(user)
    group = _group_or_404(user, pk)
    source = request.POST if request.method == "POST" else request.GET
    day, day_error = parse_day(source.get("date"))
    can_write = services.may_record_handovers(user, group) and services.may_record_day(user, group, day)
    can_override = can_write and services.is_school_manager(user, group.school_id)
    rows = _rows(user, group, day)
    by_id = {str(r.child.pk): r for r in rows}
    selected = by_id.get(source.get("child", ""))
    panel, notice, status = None, "", 200
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("You do not keep this group's handover book."))
        if selected is None:
            messages.error(request, _("This child is not in the group on %(day)s.") % {"day": day.strftime("%d/%m/%Y")})
            return HttpResponseRedirect(_day_url(group, day))
        action = request.POST.get("action", "")
        if action == "quick":  # the row's one-tap form: no panel to build
            panel = {"dropoff": DropoffForm(guardians=selected.guardians, prefix="d")}
        else:
            panel = _panel_forms(request, selected, day, can_override=can_override, bound=action)
        notice = _handle_post(request, group, day, selected, panel)
        if notice:
            if not is_htmx(request):
                messages.success(request, notice)
                return HttpResponseRedirect(_day_url(group, day, selected.child.pk))
            panel = None if action == "quick" else _panel_forms(request, selected, day, can_override=can_override)
        else:
            if action == "quick":  # show the whole panel, with the quick form's errors on the drop-off form
                panel = {**_panel_forms(request, selected, day, can_override=can_override), "dropoff": panel["dropoff"]}
            if not is_htmx(request):
                status = 400  # htmx swaps only successful answers: it gets the errors with 200
    elif selected is not None:
        panel = _panel_forms(request, selected, day, can_override=can_override)
    ctx = {
        "group": group, "day": day, "day_error": day_error, "rows": rows, "selected": selected, "panel": panel,
        "notice": notice, "can_write": can_write, "can_override": can_override,
        "pin_failures": services.pin_failures(selected.handover) if selected and selected.handover else 0,
        "pin_max": services.PIN_MAX_ATTEMPTS, "today": clock.today(),
        "prev_day": day - dt.timedelta(days=1), "next_day": day + dt.timedelta(days=1),
        "signature_width": services.SIGNATURE_WIDTH, "signature_height": services.SIGNATURE_HEIGHT,
    }
    if selected is not None and selected.handover is not None:
        ctx["signature_uri"] = signature_uri(selected.handover.signature_svg)
    if is_htmx(request) and selected is not None:
        ctx["row"] = selected
        return render(request, "attendance/handover_child.html", ctx, status=status)
    return render(request, "attendance/handover_day.html", ctx, status=status)


# --- the printable book ---------------------------------------------------------------------------------------


@dataclass
class BookLine:
    child: Child
    handover: Handover | None
    absence: Attendance | None = None
    signature: str = ""


@login_required
def handover_book(request, pk):
    """The handover book as the paper book it replaces: a day (or up to a month) of one group, to print."""
    user = request.user
    _require_staff(user)
    group = _group_or_404(user, pk)
    first, error1 = parse_day(request.GET.get("from") or request.GET.get("date"))
    last, error2 = parse_day(request.GET.get("to")) if request.GET.get("to") else (first, "")
    errors = [e for e in (error1, error2) if e]
    if last < first:
        first, last = last, first
    if (last - first).days + 1 > BOOK_MAX_DAYS:
        last = first + dt.timedelta(days=BOOK_MAX_DAYS - 1)
        errors.append(_("The book prints at most %(n)d days at a time.") % {"n": BOOK_MAX_DAYS})
    enrolments = list(
        scoping.restrict(
            Enrolment.objects.filter(group=group, start_date__lte=last)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=first)), user
        ).select_related("child")
    )
    handovers = {
        (h.child_id, h.date): h
        for h in scoping.restrict(Handover.objects.filter(group=group, date__range=(first, last)), user)
        .select_related("child", "dropoff_by", "confirmed_by", "pickup_guardian", "pickup_person",
                        "pickup_override_by")
    }
    absences = {
        (a.child_id, a.date): a
        for a in scoping.restrict(Attendance.objects.filter(group=group, date__range=(first, last)), user)
        .exclude(status__in=("present", "late"))
    }
    days = []
    day = first
    while day <= last:
        children = {e.child.pk: e.child for e in enrolments
                    if e.start_date <= day and (e.end_date is None or e.end_date >= day)}
        children.update({cid: h.child for (cid, d), h in handovers.items() if d == day})
        if children and (day.weekday() < 5 or any(d == day for (_c, d) in handovers)):
            lines = []
            for child in sorted(children.values(), key=lambda c: (c.name_folded, c.pk)):
                h = handovers.get((child.pk, day))
                lines.append(BookLine(child, h, absences.get((child.pk, day)),
                                      signature_uri(h.signature_svg) if h else ""))
            days.append((day, lines))
        day += dt.timedelta(days=1)
    return render(request, "attendance/handover_book.html",
                  {"group": group, "first": first, "last": last, "days": days, "errors": errors})


# --- the principal sets a guardian's PIN at enrolment -----------------------------------------------------


class PinSetForm(forms.Form):
    pin = forms.CharField(label=gettext_lazy("New PIN (4 digits)"), max_length=4, strip=True,
                          widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password",
                                                            "pattern": "[0-9]{4}", "size": 4}))
    pin_again = forms.CharField(label=gettext_lazy("The same PIN again"), max_length=4, strip=True,
                                widget=forms.PasswordInput(attrs={"inputmode": "numeric",
                                                                  "autocomplete": "new-password",
                                                                  "pattern": "[0-9]{4}", "size": 4}))

    def clean(self):
        data = super().clean()
        if data.get("pin") and data.get("pin_again") and data["pin"] != data["pin_again"]:
            self.add_error("pin_again", _("The two PINs differ."))
        return data


@login_required
def guardian_pin(request, pk):
    """The principal or a vice-principal sets a guardian's PIN (at enrolment, or when it is forgotten)."""
    guardian = scoping.get_or_404(Guardian.objects.select_related("child", "school__unit"), request.user,
                                  scoping.CHANGE, pk=pk)
    if not services.is_school_manager(request.user, guardian.school_id):
        raise PermissionDenied(_("Only the principal or a vice-principal sets a guardian's PIN."))
    form = PinSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.guardian_set_pin(actor=request.user, guardians=[guardian], pin=form.cleaned_data["pin"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("PIN set for %(guardian)s.") % {"guardian": guardian.full_name})
            return HttpResponseRedirect(request.get_full_path())
    return render(request, "attendance/handover_guardian_pin.html", {"guardian": guardian, "form": form},
                  status=400 if form.errors else 200)


# --- incidents ----------------------------------------------------------------------------------------------------


class IncidentFilter(django_filters.FilterSet):
    school = django_filters.ModelChoiceFilter(queryset=School.objects.none(), label=gettext_lazy("School"))
    serious = django_filters.BooleanFilter(label=gettext_lazy("Serious (hospital)"))
    occurred_from = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__gte",
                                              label=gettext_lazy("From"))
    occurred_to = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__lte",
                                            label=gettext_lazy("To"))

    class Meta:
        model = Incident
        fields = ["school", "serious", "occurred_from", "occurred_to"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["school"].queryset = scoping.restrict(School.objects.select_related("unit"), user).order_by(
            "unit__name")


def _mark_names(user, incidents) -> None:
    schools = services.child_visible_schools(user)
    for i in incidents:
        i.show_child = schools is None or i.school_id in schools


class IncidentForm(forms.ModelForm):
    occurred_at = forms.DateTimeField(label=gettext_lazy("When (dd/mm/yyyy hh:mm)"))
    parents_informed_at = forms.DateTimeField(label=gettext_lazy("Parents informed at (dd/mm/yyyy hh:mm)"),
                                              required=False)

    class Meta:
        model = Incident
        fields = ["school", "child", "group", "occurred_at", "place", "what", "present", "first_aid",
                  "parents_informed_at", "follow_up", "serious"]
        widgets = {"what": forms.Textarea(attrs={"rows": 3}), "first_aid": forms.Textarea(attrs={"rows": 2}),
                   "follow_up": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        schools = (School.objects.filter(pk=self.instance.school_id) if editing
                   else services.incident_schools(user))
        if editing:
            del self.fields["school"]
        else:
            self.fields["school"].queryset = schools
            self.fields["school"].label_from_instance = lambda s: s.unit.name
            if len(self.fields["school"].queryset) == 1:
                self.fields["school"].initial = self.fields["school"].queryset[0].pk
        school_ids = list(schools.values_list("pk", flat=True))
        self.fields["child"].queryset = scoping.restrict(
            Child.objects.filter(school_id__in=school_ids, status=ChildStatus.ENROLLED), user)
        self.fields["group"].queryset = scoping.restrict(
            Group.objects.filter(school_id__in=school_ids, active=True, school_year__is_current=True), user)

    def _post_clean(self):
        """The service validates and saves; the form only reads the input (no model validation here)."""


@login_required
def incident_list(request):
    user = request.user
    qs = scoping.restrict(Incident.objects.all(), user).select_related("school__unit", "child", "group")
    filterset = IncidentFilter(request.GET, queryset=qs, user=user)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _mark_names(user, page.object_list)
    ctx = {"filter": filterset, "page": page, "can_create": services.incident_schools(user).exists()}
    if is_htmx(request):
        return render(request, "attendance/incident_list_table.html", ctx)
    return render(request, "attendance/incident_list.html", ctx)


def _incident_data(form: IncidentForm) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != "school"}


@login_required
def incident_create(request):
    user = request.user
    if not services.incident_schools(user).exists():
        raise PermissionDenied(_("Incidents are recorded by the school's staff."))
    form = IncidentForm(request.POST or None, user=user, initial={"occurred_at": clock.now().replace(
        second=0, microsecond=0)})
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_create(actor=user, school=form.cleaned_data["school"],
                                                **_incident_data(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied:
            form.add_error("child", _("You can record incidents only about the children of your groups; ask the "
                                      "principal to record a school-wide incident."))
        else:
            messages.success(request, _("Incident recorded."))
            return HttpResponseRedirect(reverse("attendance:incident-detail", args=[incident.pk]))
    return render(request, "attendance/incident_form.html", {"form": form, "incident": None},
                  status=400 if form.errors else 200)


@login_required
def incident_detail(request, pk):
    incident = scoping.get_or_404(
        Incident.objects.select_related("school__unit", "child", "group", "recorded_by"), request.user, pk=pk)
    _mark_names(request.user, [incident])
    staff_at = scoping.is_admin(request.user) or any(
        g.role in SCHOOL_STAFF_ROLES and g.unit_id == incident.school_id for g in scoping.grants(request.user))
    return render(request, "attendance/incident_detail.html", {
        "incident": incident, "can_edit": scoping.check(request.user, scoping.CHANGE, incident),
        "show_staff": staff_at})


@login_required
def incident_edit(request, pk):
    user = request.user
    incident = scoping.get_or_404(Incident.objects.select_related("school__unit"), user, scoping.CHANGE, pk=pk)
    form = IncidentForm(request.POST or None, instance=incident, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_update(actor=user, incident=incident, **_incident_data(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied:
            form.add_error("child", _("You can record incidents only about the children of your groups."))
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("attendance:incident-detail", args=[incident.pk]))
    return render(request, "attendance/incident_form.html", {"form": form, "incident": incident},
                  status=400 if form.errors else 200)
