"""API of the fees domain, scoped like the pages (core.api.ScopedViewSetMixin).

Fee tables and statements are read here (with each statement's lines and VietQR payload); payments are read
and recorded (POST, through services.payment_record: a statement already paid gets a 400 naming the field).
The accountant, principal and vice-principal of a school reach its records, officers the schools below them,
a parent their own children's statements and payments.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from mamnon.core import scoping
from mamnon.core.api import ScopedReadOnlyViewSet, ScopedViewSetMixin
from mamnon.fees import selectors, services
from mamnon.fees.models import FeeTable, MonthlyFee, Payment, Statement, StatementLine

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


def register(router) -> None:
    """Register this app's viewsets on the project's router (config/api_urls.py)."""
    router.register("fee-tables", FeeTableViewSet, basename="fee-table")
    router.register("fee-statements", StatementViewSet, basename="fee-statement")
    router.register("fee-payments", PaymentViewSet, basename="fee-payment")
