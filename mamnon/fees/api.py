"""API of the fees domain, scoped like the pages (core.api.ScopedViewSetMixin).

Fee tables and statements are read here (with each statement's lines and VietQR payload); payments are read
and recorded (POST, through services.payment_record: a statement already paid gets a 400 naming the field).
The accountant, principal and vice-principal of a school reach its records, officers the schools below them,
a parent their own children's statements and payments.

The bank-statement import takes the page's two steps (bank_import.py, uploads.py): ``fee-imports/preview/``
(multipart ``school`` + ``file``: the dry run, nothing recorded; the file is kept under a token) and
``fee-imports/confirm/`` (``token``, ``digest``, ``plan`` from the preview: all or nothing, a stale preview
refused with the fresh one in the answer). Support eligibility records (``fee-eligibility``) are listed,
created, corrected and ended (``end/``) through services.eligibility_save, reached like the page: the school's
fee keepers write, officers above it read, other staff and parents reach none.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from mamnon.children.models import Child
from mamnon.core import scoping
from mamnon.core.api import ScopedReadOnlyViewSet, ScopedViewSetMixin
from mamnon.fees import bank_import, selectors, services, uploads
from mamnon.fees.models import BankImport, FeeTable, MonthlyFee, Payment, Statement, StatementLine, SupportEligibility
from mamnon.org.models import School

DATE_INPUT = ["iso-8601", "%d/%m/%Y"]


class MonthlyFeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = MonthlyFee
        fields = ["name", "amount"]


class FeeTableSerializer(serializers.ModelSerializer):
    fees = MonthlyFeeSerializer(many=True, read_only=True)
    daily_rate = serializers.DecimalField(max_digits=14, decimal_places=0, read_only=True)
    school_year = serializers.CharField(source="school_year.code", read_only=True)

    class Meta:
        model = FeeTable
        fields = ["id", "school", "school_year", "food_per_day", "fuel_per_day", "daily_rate", "policy",
                  "refund_whole_rate", "bank_bin", "bank_account", "account_name", "fees"]
        read_only_fields = fields


class LineSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatementLine
        fields = ["kind", "label", "quantity", "unit_amount", "amount"]


class StatementSerializer(serializers.ModelSerializer):
    lines = LineSerializer(many=True, read_only=True)
    outstanding = serializers.DecimalField(max_digits=14, decimal_places=0, read_only=True)
    status = serializers.CharField(read_only=True, help_text="unpaid, partial, paid or carried")
    vietqr = serializers.SerializerMethodField(help_text="VietQR payload of what is still owed (null: nothing).")

    class Meta:
        model = Statement
        fields = ["id", "school", "child", "month", "reference", "policy", "daily_rate", "billable_days",
                  "days_eaten", "days_refunded", "meal_amount", "fees_amount", "support_amount", "previous_balance",
                  "total", "paid", "outstanding", "status", "carried_into", "lines", "vietqr"]
        read_only_fields = fields

    def get_vietqr(self, obj) -> str | None:
        return selectors.qr_payload(obj)


class PaymentSerializer(serializers.ModelSerializer):
    statement = serializers.PrimaryKeyRelatedField(queryset=Statement.objects.none())
    paid_on = serializers.DateField(input_formats=DATE_INPUT)
    amount = serializers.DecimalField(max_digits=14, decimal_places=0)

    class Meta:
        model = Payment
        fields = ["id", "statement", "child", "amount", "method", "paid_on", "bank_ref", "description",
                  "recorded_at"]
        read_only_fields = ["id", "child", "recorded_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["statement"].queryset = scoping.restrict(Statement.objects.all(), request.user,
                                                                 scoping.CHANGE)


class StatementFilter(django_filters.FilterSet):
    month = django_filters.DateFilter(field_name="month", input_formats=["%Y-%m-%d", "%d/%m/%Y"])

    class Meta:
        model = Statement
        fields = ["school", "child", "month", "reference"]


class FeeTableViewSet(ScopedReadOnlyViewSet):
    queryset = FeeTable.objects.select_related("school_year").prefetch_related("fees").order_by("school_id", "id")
    serializer_class = FeeTableSerializer
    filterset_fields = ["school"]


class StatementViewSet(ScopedReadOnlyViewSet):
    queryset = Statement.objects.select_related("table").prefetch_related("lines").order_by("-month", "child_id")
    serializer_class = StatementSerializer
    filterset_class = StatementFilter


class PaymentViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     viewsets.GenericViewSet):
    queryset = Payment.objects.order_by("-paid_on", "-id")
    serializer_class = PaymentSerializer
    filterset_fields = ["school", "statement", "child", "method"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            payment = services.payment_record(actor=request.user, **data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict")
                                              else {"non_field_errors": exc.messages}) from exc
        except PermissionDenied as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
        return Response(PaymentSerializer(payment, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


def _errors(exc: DjangoValidationError, key: str = "non_field_errors") -> dict:
    """A service's ValidationError as the API's 400 body: its fields, or ``key``."""
    return exc.message_dict if hasattr(exc, "error_dict") else {key: exc.messages}


def _require_fee_keeper(user) -> None:
    """403 for whoever keeps no school's fees (teachers, parents, officers): the writes are the keepers'."""
    if not selectors.fee_schools(user, write=True).exists():
        raise PermissionDenied(_("Only the school's accountant, principal or vice-principal keep its fees."))


# --- the bank-statement import, in the page's two steps ----------------------------------------------


class BankImportSerializer(serializers.ModelSerializer):
    imported_by = serializers.SerializerMethodField()

    class Meta:
        model = BankImport
        fields = ["id", "school", "file_name", "rows", "matched", "imported_by", "imported_at"]
        read_only_fields = fields

    def get_imported_by(self, obj) -> str:
        user = obj.imported_by
        return (user.full_name or user.username) if user else ""


class MatchSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="row number in the file (1 = the first row)")
    date = serializers.DateField()
    reference = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=0)
    statement = serializers.IntegerField(source="statement_id")
    child_name = serializers.CharField()
    month = serializers.DateField()
    bank_ref = serializers.CharField()
    description = serializers.CharField()


class UnmatchedSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    description = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=0)
    reason = serializers.CharField()


# A refused upload or confirmation: the fields at fault, each with its Vietnamese messages (``file``, ``token``,
# ``plan``, ``digest``...), and, where a preview could still be made, that preview under ``preview``.
_REFUSED = OpenApiResponse(OpenApiTypes.OBJECT, description="fields at fault with their messages; `preview`: the "
                           "preview, when one could be made")


class PreviewSerializer(serializers.Serializer):
    token = serializers.CharField(allow_null=True, help_text="send it back to confirm/ (null: nothing to confirm)")
    school = serializers.IntegerField()
    file_name = serializers.CharField()
    digest = serializers.CharField(help_text="SHA-256 of the file: send it back to confirm/")
    plan = serializers.CharField(help_text="fingerprint of the matches shown: send it back to confirm/")
    rows = serializers.IntegerField(help_text="rows read")
    matched_total = serializers.DecimalField(max_digits=14, decimal_places=0)
    matched = MatchSerializer(many=True)
    unmatched = UnmatchedSerializer(many=True)
    errors = serializers.ListField(child=serializers.CharField(),
                                   help_text="each names its row and column; any error: nothing can be recorded")
    can_confirm = serializers.BooleanField()


class ImportUploadSerializer(serializers.Serializer):
    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.none(), help_text="a school whose fees the caller keeps",
        error_messages={"does_not_exist": gettext_lazy("Choose a school whose fees you keep."),
                        "incorrect_type": gettext_lazy("Choose a school whose fees you keep.")})
    file = serializers.FileField(help_text="the bank statement, .xlsx or .csv, at most 5 MB",
                                 error_messages={"empty": gettext_lazy("The file is empty.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["school"].queryset = selectors.fee_schools(request.user, write=True)

    def validate_file(self, upload):
        try:
            bank_import.check_upload(upload.name, upload.size)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return upload


class ImportConfirmSerializer(serializers.Serializer):
    token = serializers.CharField()
    digest = serializers.CharField()
    plan = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    bank_import = BankImportSerializer()
    payments = serializers.IntegerField(help_text="payments recorded")
    matched_total = serializers.DecimalField(max_digits=14, decimal_places=0)


def _preview_data(result: bank_import.Result, *, school, file_name: str, token: str | None) -> dict:
    can_confirm = not result.errors and bool(result.matched)
    return PreviewSerializer({
        "token": token if can_confirm else None, "school": school.pk, "file_name": file_name,
        "digest": result.digest, "plan": result.plan_key, "rows": result.rows,
        "matched_total": result.matched_total, "matched": result.matched,
        "unmatched": [{"row": r, "description": d, "amount": a, "reason": why} for r, d, a, why in result.unmatched],
        "errors": result.errors, "can_confirm": can_confirm,
    }).data


class BankImportViewSet(ScopedReadOnlyViewSet):
    """Bank statements imported (the school's fee keepers and the officers above read them), and the import:
    ``preview/`` then ``confirm/``."""

    queryset = BankImport.objects.select_related("imported_by").order_by("-imported_at", "-id")
    serializer_class = BankImportSerializer
    filterset_fields = ["school"]

    @extend_schema(request={"multipart/form-data": ImportUploadSerializer},
                   responses={200: PreviewSerializer, 400: _REFUSED})
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def preview(self, request):
        """The dry run: matched rows, unmatched rows and why, errors naming row and column; nothing is recorded.
        A file with an error gets 400 (``file``: the errors, ``preview``: the rest); an importable one is kept
        on the server under ``token`` for ``confirm/``."""
        _require_fee_keeper(request.user)
        upload_in = ImportUploadSerializer(data=request.data, context={"request": request})
        upload_in.is_valid(raise_exception=True)
        school, upload = upload_in.validated_data["school"], upload_in.validated_data["file"]
        data = upload.read()
        try:
            result = bank_import.preview_statement(actor=request.user, school=school, file_name=upload.name,
                                                   data=data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"file": exc.messages}) from exc
        if result.errors:
            return Response({"file": result.errors,
                             "preview": _preview_data(result, school=school, file_name=upload.name, token=None)},
                            status=status.HTTP_400_BAD_REQUEST)
        token = None
        if result.matched:
            token = uploads.store(data, filename=upload.name, user=request.user, school=school)
        return Response(_preview_data(result, school=school, file_name=upload.name, token=token))

    @extend_schema(request=ImportConfirmSerializer, responses={201: ImportResultSerializer, 400: _REFUSED})
    @action(detail=False, methods=["post"])
    def confirm(self, request):
        """Record the previewed file's payments, all or nothing. A stale preview (the file or the statements
        changed since) is refused with 400 (``plan``/``digest``: why, ``preview``: the fresh preview, whose
        token, digest and plan confirm it); any other refusal names ``token`` or ``file``."""
        _require_fee_keeper(request.user)
        confirm_in = ImportConfirmSerializer(data=request.data)
        confirm_in.is_valid(raise_exception=True)
        given = confirm_in.validated_data
        stored, school = uploads.pending(given["token"], user=request.user, take=True)
        if stored is None:
            raise serializers.ValidationError({"token": [
                _("This upload is no longer available (already imported, expired or not yours). "
                  "Upload the file again.")]})
        data = stored.read()
        try:
            result = bank_import.import_statement(actor=request.user, school=school, file_name=stored.filename,
                                                  data=data, expect_digest=given["digest"],
                                                  expect_plan=given["plan"])
        except bank_import.StalePreview as exc:
            uploads.release(stored.token)  # the same file, previewed afresh
            key = "digest" if bank_import.digest_of(data) != given["digest"] else "plan"
            try:
                fresh = bank_import.preview_statement(actor=request.user, school=school,
                                                      file_name=stored.filename, data=data)
            except DjangoValidationError:
                uploads.discard(stored.token)
                raise serializers.ValidationError({key: exc.messages}) from exc
            body = {key: exc.messages,
                    "preview": _preview_data(fresh, school=school, file_name=stored.filename, token=stored.token)}
            if not body["preview"]["can_confirm"]:
                uploads.discard(stored.token)
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        except DjangoValidationError as exc:
            uploads.discard(stored.token)
            raise serializers.ValidationError(
                {"file": [_("Nothing was recorded.") + " " + " ".join(exc.messages)]}) from exc
        except IntegrityError as exc:  # the same file confirmed twice at once: the other request recorded it
            uploads.discard(stored.token)
            raise serializers.ValidationError(
                {"file": [_("Nothing was recorded: this file was imported meanwhile.")]}) from exc
        uploads.discard(stored.token)
        return Response(ImportResultSerializer({"bank_import": result.batch, "payments": len(result.matched),
                                                "matched_total": result.matched_total}).data,
                        status=status.HTTP_201_CREATED)


# --- support eligibility (children of martyrs and war invalids, NĐ 105/2020 Điều 7 khoản 1) -------------


class EligibilitySerializer(serializers.ModelSerializer):
    child_name = serializers.CharField(source="child.full_name", read_only=True)
    situation_label = serializers.CharField(source="get_situation_display", read_only=True)

    class Meta:
        model = SupportEligibility
        fields = ["id", "school", "child", "child_name", "situation", "situation_label", "evidence", "valid_from",
                  "valid_to"]
        read_only_fields = fields


class EligibilityWriteSerializer(serializers.Serializer):
    child = serializers.IntegerField(help_text="a child of the school, not one who left")
    situation = serializers.ChoiceField(choices=SupportEligibility.Situation.choices, error_messages={
        "invalid_choice": gettext_lazy("Choose the child's situation.")})
    evidence = serializers.CharField(max_length=200, help_text="the certificate or decision, its number and date")
    valid_from = serializers.DateField(input_formats=DATE_INPUT)
    valid_to = serializers.DateField(input_formats=DATE_INPUT, required=False, allow_null=True,
                                     help_text="empty: until further notice")


class EligibilityEndSerializer(serializers.Serializer):
    valid_to = serializers.DateField(input_formats=DATE_INPUT, help_text="the last day of the entitlement")


class SupportEligibilityViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                                viewsets.GenericViewSet):
    """Support eligibility records the fees side keeps (with proof and period). POST / PUT / PATCH write through
    services.eligibility_save (no overlapping periods of a situation for a child; the errors name the field);
    ``end/`` sets the last day."""

    queryset = SupportEligibility.objects.select_related("child").order_by("school_id", "child__name_folded",
                                                                           "-valid_from")
    serializer_class = EligibilitySerializer
    filterset_fields = ["school", "child", "situation"]

    def get_queryset(self):
        # Like the page: the schools whose fees the caller keeps or oversees (not a parent, not other staff).
        write = self.request.method not in ("GET", "HEAD", "OPTIONS")
        return super().get_queryset().filter(school__in=selectors.fee_schools(self.request.user, write=write))

    def _save(self, request, data: dict, instance=None):
        child = scoping.restrict(Child.objects.select_related("school"), request.user).filter(pk=data["child"]).first()
        if child is None:
            raise serializers.ValidationError({"child": [_("Choose a child of this school.")]})
        school = instance.school if instance is not None else child.school
        try:
            return services.eligibility_save(actor=request.user, school=school, child_id=child.pk,
                                             situation=data["situation"], evidence=data["evidence"],
                                             valid_from=data["valid_from"], valid_to=data.get("valid_to"),
                                             instance=instance)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_errors(exc)) from exc

    def _write(self, request, instance=None, *, partial: bool = False):
        _require_fee_keeper(request.user)
        if instance is None and request.method != "POST":
            instance = self.get_object()
        initial = {}
        if instance is not None and partial:
            initial = {"child": instance.child_id, "situation": instance.situation, "evidence": instance.evidence,
                       "valid_from": instance.valid_from, "valid_to": instance.valid_to}
        given = EligibilityWriteSerializer(data=request.data, partial=partial)
        given.is_valid(raise_exception=True)
        row = self._save(request, initial | dict(given.validated_data), instance)
        return Response(EligibilitySerializer(row).data,
                        status=status.HTTP_201_CREATED if instance is None else status.HTTP_200_OK)

    @extend_schema(request=EligibilityWriteSerializer, responses={201: EligibilitySerializer})
    def create(self, request, *args, **kwargs):
        return self._write(request)

    @extend_schema(request=EligibilityWriteSerializer, responses=EligibilitySerializer)
    def update(self, request, *args, **kwargs):
        return self._write(request)

    @extend_schema(request=EligibilityWriteSerializer, responses=EligibilitySerializer)
    def partial_update(self, request, *args, **kwargs):
        return self._write(request, partial=True)

    @extend_schema(request=EligibilityEndSerializer, responses=EligibilitySerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the entitlement: its last day (the record stays, with its period)."""
        _require_fee_keeper(request.user)
        row = self.get_object()
        given = EligibilityEndSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = {"child": row.child_id, "situation": row.situation, "evidence": row.evidence,
                "valid_from": row.valid_from, "valid_to": given.validated_data["valid_to"]}
        row = self._save(request, data, row)
        return Response(EligibilitySerializer(row).data)


def register(router) -> None:
    """Register this app's viewsets on the project's router (config/api_urls.py)."""
    router.register("fee-tables", FeeTableViewSet, basename="fee-table")
    router.register("fee-statements", StatementViewSet, basename="fee-statement")
    router.register("fee-payments", PaymentViewSet, basename="fee-payment")
    router.register("fee-imports", BankImportViewSet, basename="fee-import")
    router.register("fee-eligibility", SupportEligibilityViewSet, basename="fee-eligibility")
