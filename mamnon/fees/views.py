"""Fee pages: the school-month (fee table, statements, issue), a statement with its VietQR code and payments,
arrears, the bank-statement import, and the parent's view in the portal. Thin: services write, selectors read."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamnon.attendance.views_portal import own_children
from mamnon.children.models import Child, ChildStatus
from mamnon.core import clock, scoping
from mamnon.core.pages import chosen_school
from mamnon.core.roles import Role
from mamnon.fees import bank_import, selectors, services, uploads
from mamnon.fees.models import BankImport, FeeTable, Payment, Policy, Statement, SupportEligibility
from mamnon.fees.templatetags.fees_tags import vnd
from mamnon.org.models import SchoolYear

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _month(raw: str | None) -> dt.date:
    try:
        year, month = (int(x) for x in (raw or "").split("-"))
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return clock.today().replace(day=1)


def _school(request, *, write: bool = False):
    return chosen_school(request, selectors.fee_schools(request.user, write=write))


def _apply(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for key, msgs in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, msgs)
    else:
        form.add_error(None, exc.messages)


@login_required
def index(request):
    """A school-month: its fee table, the statements issued and their totals; the accountant issues them."""
    school, schools = _school(request)
    month = _month(request.GET.get("month"))
    year = selectors.year_of_month(month)
    table = statements = summary = None
    if school is not None:
        table = FeeTable.objects.filter(school=school, school_year=year).prefetch_related("fees").first() if year \
            else None
        qs = selectors.statements_for(request.user, school=school, month=month)
        summary = selectors.month_summary(qs)
        statements = list(qs.order_by("child__name_folded")[:1000])
    can_write = school is not None and services.may_keep_fees(request.user, school)
    return render(request, "fees/index.html", {
        "school": school, "schools": schools, "month": month, "year": year, "table": table,
        "statements": statements, "summary": summary, "can_write": can_write,
        "prev_month": (month - dt.timedelta(days=1)).replace(day=1),
        "next_month": (month + dt.timedelta(days=32)).replace(day=1),
    })


@login_required
def generate(request):
    if request.method != "POST":
        return HttpResponseRedirect(reverse("fees:index"))
    school, _schools = _school(request, write=True)
    if school is None:
        raise Http404
    month = _month(request.POST.get("month"))
    try:
        result = services.statements_generate(actor=request.user, school=school, month=month)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)d statements issued for %(month)s.") % {
            "n": result.created, "month": month.strftime("%m/%Y")})
        if result.kept:
            messages.info(request, _("%(n)d statements with a payment were kept as they were.")
                          % {"n": len(result.kept)})
    return HttpResponseRedirect(f"{reverse('fees:index')}?school={school.pk}&month={month:%Y-%m}")


class FeeTableForm(forms.Form):
    food_per_day = forms.IntegerField(label=gettext_lazy("Food money per day (đ)"), min_value=0)
    fuel_per_day = forms.IntegerField(label=gettext_lazy("Fuel money per day (đ)"), min_value=0, initial=0)
    policy = forms.ChoiceField(label=gettext_lazy("Meal money policy"), choices=Policy.choices,
                               widget=forms.RadioSelect)
    refund_whole_rate = forms.BooleanField(label=gettext_lazy("Refund the whole daily rate (refund policy)"),
                                           required=False)
    fees = forms.CharField(
        label=gettext_lazy("Other monthly fees"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One a line: name = amount in đồng, e.g. \"Nước uống = 10000\"."))
    bank_bin = forms.CharField(label=gettext_lazy("Bank BIN (6 digits)"), max_length=6, required=False)
    bank_account = forms.CharField(label=gettext_lazy("Account number"), max_length=19, required=False)
    account_name = forms.CharField(label=gettext_lazy("Account holder"), max_length=100, required=False)

    def fee_lines(self):
        out = []
        for line in (self.cleaned_data.get("fees") or "").splitlines():
            if not line.strip():
                continue
            name, _sep, amount = line.rpartition("=")
            out.append((name.strip(), amount.strip().replace(".", "").replace(",", "")) if _sep else (line, "x"))
        return out


@login_required
def table_edit(request):
    school, _schools = _school(request, write=True)
    if school is None:
        raise Http404
    try:
        year = SchoolYear.objects.get(pk=int(request.GET.get("year") or 0))
    except (SchoolYear.DoesNotExist, ValueError):
        year = SchoolYear.objects.filter(is_current=True).first()
    if year is None:
        raise Http404
    table = FeeTable.objects.filter(school=school, school_year=year).first()
    initial = {"policy": Policy.EATEN}
    if table is not None:
        initial = {k: getattr(table, k) for k in ("food_per_day", "fuel_per_day", "policy", "refund_whole_rate",
                                                  "bank_bin", "bank_account", "account_name")}
        initial["fees"] = "\n".join(f"{f.name} = {int(f.amount)}" for f in table.fees.all())
    form = FeeTableForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.fee_table_save(
                actor=request.user, school=school, school_year=year, food_per_day=data["food_per_day"],
                fuel_per_day=data["fuel_per_day"], policy=data["policy"],
                refund_whole_rate=data["refund_whole_rate"], bank_bin=data["bank_bin"],
                bank_account=data["bank_account"], account_name=data["account_name"], fees=form.fee_lines())
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("The fee table is saved."))
            return HttpResponseRedirect(f"{reverse('fees:index')}?school={school.pk}")
    return render(request, "fees/table_form.html", {"form": form, "school": school, "year": year},
                  status=400 if form.errors else 200)


class PaymentForm(forms.Form):
    amount = forms.IntegerField(label=gettext_lazy("Amount (đ)"), min_value=1)
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=Payment.Method.choices)
    paid_on = forms.DateField(label=gettext_lazy("Date paid (dd/mm/yyyy)"), input_formats=DATE_FORMATS)
    bank_ref = forms.CharField(label=gettext_lazy("Bank transaction number"), max_length=60, required=False)


def _statement_context(request, statement: Statement) -> dict:
    payload = selectors.qr_payload(statement)
    return {
        "statement": statement, "lines": list(statement.lines.all()),
        "payments": list(scoping.restrict(statement.payments.all(), request.user)),
        "payload": payload, "qr_svg": selectors.qr_svg(payload) if payload else None,
    }


@login_required
def statement_detail(request, pk):
    statement = scoping.get_or_404(Statement.objects.select_related("child", "school__unit", "table",
                                                                    "carried_into"), request.user, pk=pk)
    can_write = services.may_keep_fees(request.user, statement.school)
    form = None
    if can_write:
        form = PaymentForm(request.POST or None, initial={"amount": int(max(statement.outstanding, 0)) or None,
                                                          "paid_on": clock.today(), "method": "cash"})
        if request.method == "POST" and form.is_valid():
            try:
                services.payment_record(actor=request.user, statement=statement, **form.cleaned_data)
            except ValidationError as exc:
                _apply(form, exc)
            else:
                messages.success(request, _("The payment is recorded."))
                return HttpResponseRedirect(reverse("fees:statement", args=[statement.pk]))
    elif request.method == "POST":
        raise PermissionDenied
    ctx = _statement_context(request, statement) | {"form": form}
    return render(request, "fees/statement.html", ctx, status=400 if form is not None and form.errors else 200)


@login_required
def arrears(request):
    school, schools = _school(request)
    rows = list(selectors.arrears(request.user, school=school)[:2000]) if school is not None else []
    return render(request, "fees/arrears.html", {
        "school": school, "schools": schools, "rows": rows, "owed": sum((r.outstanding for r in rows), 0)})


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Bank statement (.xlsx or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        bank_import.check_upload(upload.name, upload.size)
        return upload


def _import_url(school) -> str:
    return f"{reverse('fees:import')}?school={school.pk}"


@login_required
def import_view(request):
    """Upload a bank statement: the file is kept on the server and the preview shows what it would record."""
    school, _schools = _school(request, write=True)
    if school is None:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        token = uploads.store(upload.read(), filename=upload.name, user=request.user, school=school)
        return HttpResponseRedirect(f"{reverse('fees:import-preview')}?token={token}")
    imports = list(scoping.restrict(BankImport.objects.filter(school=school), request.user)
                   .select_related("imported_by")[:20])
    return render(request, "fees/import.html", {"form": form, "school": school, "imports": imports},
                  status=400 if form.errors else 200)


def _pending(request, token, *, claim: bool = False):
    return uploads.pending(token, user=request.user, take=claim)


def _gone(request):
    messages.error(request, _("This upload is no longer available (already imported, expired or not yours). "
                              "Upload the file again."))
    return HttpResponseRedirect(reverse("fees:import"))


def _preview_page(request, stored, school, *, status: int = 200):
    try:
        result = bank_import.preview_statement(actor=request.user, school=school, file_name=stored.filename,
                                               data=stored.read())
    except ValidationError as exc:
        uploads.discard(stored.token)
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(_import_url(school))
    return render(request, "fees/import_preview.html",
                  {"school": school, "stored": stored, "result": result, "token": stored.token}, status=status)


@login_required
def import_preview(request):
    """The dry run of a kept file: rows matched (child, statement, amount), rows unmatched and why, errors."""
    stored, school = _pending(request, request.GET.get("token"))
    if stored is None:
        return _gone(request)
    return _preview_page(request, stored, school)


@login_required
def import_confirm(request):
    """POST: record the kept file's payments, all or nothing, if it is still what the preview showed."""
    if request.method != "POST":
        return HttpResponseRedirect(reverse("fees:import"))
    stored, school = _pending(request, request.POST.get("token"), claim=True)
    if stored is None:
        return _gone(request)
    try:
        result = bank_import.import_statement(
            actor=request.user, school=school, file_name=stored.filename, data=stored.read(),
            expect_digest=request.POST.get("digest", ""), expect_plan=request.POST.get("plan", ""))
    except bank_import.StalePreview as exc:
        uploads.release(stored.token)  # the same file, previewed afresh
        messages.error(request, " ".join(exc.messages))
        return _preview_page(request, stored, school, status=409)
    except ValidationError as exc:
        uploads.discard(stored.token)
        messages.error(request, _("Nothing was recorded.") + " " + " ".join(exc.messages))
        return HttpResponseRedirect(_import_url(school))
    except IntegrityError:  # the same file confirmed twice at once: the other request recorded it
        uploads.discard(stored.token)
        messages.error(request, _("Nothing was recorded: this file was imported meanwhile."))
        return HttpResponseRedirect(_import_url(school))
    uploads.discard(stored.token)
    messages.success(request, _("%(n)d payments recorded (%(total)s) from %(file)s.") % {
        "n": len(result.matched), "total": vnd(result.matched_total), "file": stored.filename})
    return HttpResponseRedirect(_import_url(school))


# --- support eligibility (children of martyrs and war invalids, NĐ 105/2020 Điều 7) --------------------


class EligibilityForm(forms.Form):
    child = forms.TypedChoiceField(label=gettext_lazy("Child"), coerce=int)
    situation = forms.ChoiceField(label=gettext_lazy("Situation"), choices=SupportEligibility.Situation.choices)
    evidence = forms.CharField(label=gettext_lazy("Proof (certificate or decision, number and date)"),
                               max_length=200)
    valid_from = forms.DateField(label=gettext_lazy("Valid from (dd/mm/yyyy)"), input_formats=DATE_FORMATS)
    valid_to = forms.DateField(label=gettext_lazy("Valid to (dd/mm/yyyy)"), input_formats=DATE_FORMATS,
                               required=False, help_text=gettext_lazy("Empty: until further notice."))

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [("", "---------")] + [(c.pk, c.full_name) for c in children]


def _eligibility_children(request, school):
    return list(scoping.restrict(Child.objects.filter(school=school), request.user)
                .exclude(status=ChildStatus.LEFT).order_by("name_folded").only("pk", "full_name")[:2000])


def _eligibility_save(request, form, school, instance=None) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        services.eligibility_save(actor=request.user, school=school, child_id=data["child"],
                                  situation=data["situation"], evidence=data["evidence"],
                                  valid_from=data["valid_from"], valid_to=data["valid_to"], instance=instance)
    except ValidationError as exc:
        _apply(form, exc)
        return False
    messages.success(request, _("The support eligibility of %(child)s is saved. Statements already issued keep "
                                "their figures: issue the month again to apply it.")
                     % {"child": dict(form.fields["child"].choices).get(data["child"], "")})
    return True


@login_required
def eligibility(request):
    """The school's support eligibility records (with proof and period); its fee keepers add them."""
    school, schools = _school(request)
    if school is None:
        raise Http404
    can_write = services.may_keep_fees(request.user, school)
    form = None
    if can_write:
        form = EligibilityForm(request.POST or None, children=_eligibility_children(request, school),
                               initial={"situation": SupportEligibility.Situation.WAR_MERIT})
        if request.method == "POST" and _eligibility_save(request, form, school):
            return HttpResponseRedirect(f"{reverse('fees:eligibility')}?school={school.pk}")
    elif request.method == "POST":
        raise PermissionDenied
    rows = list(scoping.restrict(SupportEligibility.objects.filter(school=school), request.user)
                .select_related("child", "recorded_by").order_by("child__name_folded", "-valid_from")[:2000])
    return render(request, "fees/eligibility.html",
                  {"school": school, "schools": schools, "rows": rows, "form": form, "can_write": can_write,
                   "today": clock.today()},
                  status=400 if form is not None and form.errors else 200)


@login_required
def eligibility_edit(request, pk):
    """Correct a record, or end it (its last day)."""
    row = scoping.get_or_404(SupportEligibility.objects.select_related("child", "school__unit"), request.user,
                             scoping.CHANGE, pk=pk)
    school = row.school
    initial = {"child": row.child_id, "situation": row.situation, "evidence": row.evidence,
               "valid_from": row.valid_from, "valid_to": row.valid_to}
    children = _eligibility_children(request, school)
    if row.child not in children:  # a child who left: the record stays correctable
        children.append(row.child)
    form = EligibilityForm(request.POST or None, initial=initial, children=children)
    if request.method == "POST" and _eligibility_save(request, form, school, instance=row):
        return HttpResponseRedirect(f"{reverse('fees:eligibility')}?school={school.pk}")
    return render(request, "fees/eligibility_form.html", {"school": school, "row": row, "form": form},
                  status=400 if form.errors else 200)


# --- the parent portal ----------------------------------------------------------------------------


def _require_parent(user) -> None:
    if Role.PARENT not in scoping.roles_of(user):
        raise PermissionDenied(_("The parent portal is for parents. Staff use the school's pages."))


@login_required
def portal(request):
    """A parent's children's statements, newest first."""
    _require_parent(request.user)
    children = list(own_children(request.user))
    statements = list(scoping.restrict(Statement.objects.filter(child__in=[c.pk for c in children]), request.user)
                      .select_related("child", "carried_into").order_by("-month", "child__name_folded")[:60])
    return render(request, "fees/portal.html", {"children": children, "statements": statements})


@login_required
def portal_statement(request, pk):
    _require_parent(request.user)
    statement = scoping.get_or_404(
        Statement.objects.filter(child__in=own_children(request.user).values("pk"))
        .select_related("child", "school__unit", "table", "carried_into"), request.user, pk=pk)
    return render(request, "fees/portal_statement.html", _statement_context(request, statement))
