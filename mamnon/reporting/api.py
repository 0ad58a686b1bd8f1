"""API of the reporting domain, scoped like the pages: forms, reports (with their shown status), workflow
actions, completeness. Writes go through the same services; their field errors come back as 400."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mamnon.calc import reporting as calc
from mamnon.calc.periods import PeriodError, parse_period
from mamnon.children.api import InlineChoiceField
from mamnon.core import clock, scoping
from mamnon.core.api import ScopedViewSetMixin
from mamnon.org.models import OrgLevel, OrgUnit, SchoolYear
from mamnon.reporting import selectors, services
from mamnon.reporting.models import (
    DueKind,
    Duty,
    FieldKind,
    FieldSource,
    FormField,
    IndicatorPart,
    PeriodType,
    Report,
    ReportEvent,
    ReportForm,
    Severity,
    Status,
    ValidationRule,
)


def _raise_400(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        raise serializers.ValidationError(exc.message_dict) from exc
    raise serializers.ValidationError({"non_field_errors": exc.messages}) from exc


class FormFieldSerializer(serializers.ModelSerializer):
    kind = InlineChoiceField(choices=FieldKind.choices, required=False)
    source = InlineChoiceField(choices=FieldSource.choices, required=False)
    indicator_part = InlineChoiceField(choices=IndicatorPart.choices, required=False, allow_blank=True)
    class Meta:
        model = FormField
        fields = ["code", "label", "section", "kind", "required", "source", "indicator_code", "indicator_part",
                  "records_query", "summable"]


class ValidationRuleSerializer(serializers.ModelSerializer):
    op = InlineChoiceField(choices=[(o, o) for o in calc.OPS])
    severity = InlineChoiceField(choices=Severity.choices, required=False)
    class Meta:
        model = ValidationRule
        fields = ["left", "op", "right", "severity", "message"]


class UnitChoicesMixin:
    """A serializer whose ``unit`` field offers only the units the caller may change (core.scoping)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "unit" in self.fields:
            self.fields["unit"].queryset = OrgUnit.objects.for_user(request.user, scoping.CHANGE)


class ReportFormSerializer(UnitChoicesMixin, serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    target_level = serializers.SlugRelatedField(slug_field="code", queryset=OrgLevel.objects.all())
    fields = FormFieldSerializer(many=True)
    rules = ValidationRuleSerializer(many=True, required=False)
    period_type = InlineChoiceField(choices=PeriodType.choices)
    due_kind = InlineChoiceField(choices=DueKind.choices)

    class Meta:
        model = ReportForm
        fields = ["id", "unit", "unit_name", "code", "name", "description", "legal_basis", "target_level",
                  "consolidate", "period_type", "due_kind", "due_months", "due_day", "due_days_after", "due_date",
                  "as_of_month", "as_of_day", "consolidation_days", "active", "fields", "rules"]
        read_only_fields = ["id", "unit_name", "consolidation_days", "active"]
        extra_kwargs = {"unit": {"queryset": OrgUnit.objects.none()}}



class ReportFormViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Report forms the caller defines or owes; an office's officers define new ones for the units below."""

    queryset = ReportForm.objects.select_related("unit", "target_level").prefetch_related("fields", "rules")
    serializer_class = ReportFormSerializer
    filterset_fields = ["code", "period_type"]

    def get_queryset(self):
        # Reading a form is seeing it (also from below); writes go through services.form_define.
        return scoping.restrict(ReportForm.objects.all(), self.request.user, scoping.VIEW).select_related(
            "unit", "target_level").prefetch_related("fields", "rules").order_by("unit_id", "code")

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        try:
            form = services.form_define(actor=request.user, **data)
            year = SchoolYear.objects.filter(is_current=True).first()
            for period in selectors.periods_of(form, year.code) if year else []:
                services.reports_issue(form=form, period=period)  # the units below see what they owe at once
        except PermissionDenied:
            raise Http404 from None
        except DjangoValidationError as exc:
            _raise_400(exc)
        return Response(self.get_serializer(self.get_queryset().get(pk=form.pk)).data,
                        status=status.HTTP_201_CREATED)


class ReportEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()
    action = InlineChoiceField(choices=ReportEvent.Action.choices, read_only=True)

    class Meta:
        model = ReportEvent
        fields = ["action", "actor", "comment", "at"]


class ReportSerializer(serializers.ModelSerializer):
    form_code = serializers.CharField(source="form.code", read_only=True)
    form_name = serializers.CharField(source="form.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status = InlineChoiceField(choices=Status.choices, read_only=True)
    shown_status = serializers.SerializerMethodField(
        help_text="The status with `overdue` for a report still open after its due date.")
    on_time = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "form", "form_code", "form_name", "unit", "unit_name", "period", "due_date",
                  "is_consolidation", "status", "shown_status", "on_time", "values", "prefilled",
                  "first_submitted_at", "submitted_at", "approved_at", "updated_at"]
        read_only_fields = fields

    def get_shown_status(self, obj) -> str:
        return selectors.display_status(obj, clock.today())

    def get_on_time(self, obj) -> bool | None:
        return obj.on_time()


class ReportDetailSerializer(ReportSerializer):
    events = ReportEventSerializer(many=True, read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "events"]
        read_only_fields = fields


class ReportFilter(django_filters.FilterSet):
    form = django_filters.NumberFilter(field_name="form_id")
    unit = django_filters.NumberFilter(field_name="unit_id")
    period = django_filters.CharFilter()
    status = django_filters.CharFilter(help_text="not_started, draft, submitted, returned or approved")

    class Meta:
        model = Report
        fields = ["form", "unit", "period", "status", "is_consolidation"]


_values = inline_serializer("ReportValues", {"values": serializers.DictField()})
_comment = inline_serializer("ReportComment", {"comment": serializers.CharField()})
_reason = inline_serializer("ReportReason", {"reason": serializers.CharField()})


class ReportViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """Reports in the caller's scope (a school its own, an office its units'), and their workflow."""

    queryset = Report.objects.select_related("form", "unit").order_by("due_date", "form_id", "unit_id")
    serializer_class = ReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self):
        # Every action reads the report first; the services decide who may act (scoping.can_*_report).
        return scoping.restrict(super(ScopedViewSetMixin, self).get_queryset(), self.request.user, scoping.VIEW)

    def get_serializer_class(self):
        return ReportDetailSerializer if self.action == "retrieve" else ReportSerializer

    def _run(self, func, **kwargs):
        report = self.get_object()
        try:
            result = func(report=report, actor=self.request.user, **kwargs)
        except PermissionDenied:
            raise Http404 from None
        except DjangoValidationError as exc:
            _raise_400(exc)
        report = result[0] if isinstance(result, tuple) else result
        data = ReportDetailSerializer(self.get_queryset().get(pk=report.pk), context=self.get_serializer_context()).data
        if isinstance(result, tuple) and isinstance(result[1], list):
            data["warnings"] = result[1]
        return Response(data)

    @extend_schema(request=_values, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def save(self, request, pk=None):
        return self._run(services.report_save, values=request.data.get("values"))

    @extend_schema(request=None, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def prefill(self, request, pk=None):
        report = self.get_object()
        if not scoping.can_fill_report(request.user, report.unit):
            raise Http404
        return self._run(lambda report, actor: services.report_prefill(report=report))

    @extend_schema(request=None, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._run(services.report_submit)

    @extend_schema(request=_comment, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._run(services.report_return, comment=str(request.data.get("comment", "")))

    @extend_schema(request=None, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._run(services.report_approve)

    @extend_schema(request=_reason, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._run(services.report_reopen, reason=str(request.data.get("reason", "")))

    @extend_schema(request=None, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def consolidate(self, request, pk=None):
        return self._run(services.report_consolidate)


_completeness_row = {
    "unit": serializers.IntegerField(), "name": serializers.CharField(), "expected": serializers.IntegerField(),
    "submitted": serializers.IntegerField(), "on_time": serializers.IntegerField(),
    "submitted_rate": serializers.FloatField(allow_null=True), "on_time_rate": serializers.FloatField(allow_null=True),
}


class CompletenessViewSet(viewsets.ViewSet):
    """Expected, submitted and on-time reports of a form and period under a unit, and per unit below it."""

    @extend_schema(
        parameters=[OpenApiParameter("form", int, required=True), OpenApiParameter("period", str, required=True),
                    OpenApiParameter("unit", int, required=False)],
        responses=inline_serializer("Completeness", {
            "total": inline_serializer("CompletenessTotal", _completeness_row),
            "units": inline_serializer("CompletenessRow", _completeness_row, many=True),
        }),
    )
    def list(self, request, *args, **kwargs):
        user = request.user
        form_id, period, unit_id = (request.query_params.get(k, "") for k in ("form", "period", "unit"))
        if not form_id.isdigit():
            raise serializers.ValidationError({"form": ["Required: the form's id."]})
        try:
            parse_period(period)
        except PeriodError as exc:
            raise serializers.ValidationError({"period": [str(exc)]}) from None
        if not (scoping.is_admin(user) or scoping.roles_of(user) & scoping.OFFICER_ROLES):
            raise Http404
        form = scoping.get_or_404(ReportForm.objects.select_related("unit", "target_level"), user, pk=int(form_id))
        if unit_id.isdigit():
            root = scoping.get_or_404(OrgUnit.objects.all(), user, pk=int(unit_id))
        else:
            paths = scoping.scope_paths(user, scoping.OFFICER_ROLES)
            root = OrgUnit.objects.filter(path__in=paths).order_by("depth").first() if paths else form.unit
            if root is None or not scoping.check(user, scoping.VIEW, root):
                raise Http404
        total, rows, _units = selectors.completeness(form, period, root)

        def row(c):
            return {"unit": c.unit_id, "name": c.name, "expected": c.expected, "submitted": c.submitted,
                    "on_time": c.on_time, "submitted_rate": c.submitted_rate, "on_time_rate": c.on_time_rate}

        return Response({"total": row(total), "units": [row(r) for r in rows]})


class DutySerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    school_year = serializers.CharField(source="school_year.code", read_only=True)
    status = InlineChoiceField(choices=Duty.Status.choices, read_only=True)

    class Meta:
        model = Duty
        fields = ["id", "unit", "unit_name", "school_year", "month", "due_date", "title", "owner", "deliverable",
                  "recipient", "status", "recurring", "for_units_below"]
        read_only_fields = fields


class DutyFilter(django_filters.FilterSet):
    unit = django_filters.NumberFilter(field_name="unit_id")
    month = django_filters.DateFilter()
    school_year = django_filters.CharFilter(field_name="school_year__code")

    class Meta:
        model = Duty
        fields = ["unit", "month", "school_year"]


class DutyWriteSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    title = serializers.CharField(max_length=400)
    month = serializers.DateField(required=False, help_text="any day of the month (ignored when due_date is set)")
    due_date = serializers.DateField(required=False, allow_null=True)
    owner = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    deliverable = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    recipient = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    recurring = serializers.BooleanField(required=False, default=False)
    for_units_below = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        if not attrs.get("month") and not attrs.get("due_date"):
            raise serializers.ValidationError({"month": [_("Give the month or the due date.")]})
        return attrs


_status = inline_serializer("DutyStatus", {"status": serializers.CharField()})


class DutyViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Duties of the monthly plans in the caller's scope, and those of the offices above for their units; a unit's
    managers (an office's officers) add duties to its plan."""

    queryset = Duty.objects.select_related("unit", "school_year").order_by("month", "due_date", "id")
    serializer_class = DutySerializer
    filterset_class = DutyFilter

    def get_queryset(self):
        return scoping.restrict(super(ScopedViewSetMixin, self).get_queryset(), self.request.user, scoping.VIEW)

    @extend_schema(request=DutyWriteSerializer, responses={201: DutySerializer})
    def create(self, request, *args, **kwargs):
        ser = DutyWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        unit = scoping.get_or_404(OrgUnit.objects.select_related("level"), request.user, pk=data.pop("unit"))
        try:
            month = data.pop("month", None) or data["due_date"]
            duty = services.duty_create(actor=request.user, unit=unit, month=month, **data)
        except PermissionDenied:
            raise Http404 from None
        except DjangoValidationError as exc:
            _raise_400(exc)
        return Response(DutySerializer(duty).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=_status, responses=DutySerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        duty = self.get_object()
        try:
            duty = services.duty_set_status(duty=duty, actor=request.user, status=str(request.data.get("status", "")))
        except PermissionDenied:
            raise Http404 from None
        except DjangoValidationError as exc:
            _raise_400(exc)
        return Response(DutySerializer(duty).data)



def register(router) -> None:
    """Register this app's viewsets on the project's router (config/api_urls.py)."""
    router.register("report-forms", ReportFormViewSet, basename="report-form")
    router.register("reports", ReportViewSet, basename="report")
    router.register("report-completeness", CompletenessViewSet, basename="report-completeness")
    router.register("duties", DutyViewSet, basename="duty")
    from mamnon.reporting import api_programmes

    api_programmes.register(router)
