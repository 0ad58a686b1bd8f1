"""API of health checks, illnesses and medicine given at school, scoped like the pages.

Reads: the rows the caller may view (offices none: ``/api/health-check-counts/`` gives them counts per school).
Writes (POST) go through the same services as the pages: a service's field errors come back as 400 with the
same keys; a child outside the caller's write scope is a 400 on ``child`` (never confirmed to exist).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from mamnon.attendance.models import Handover
from mamnon.core import scoping
from mamnon.core.api import ScopedViewSetMixin
from mamnon.health import selectors_checks as selectors
from mamnon.health import services_checks as services
from mamnon.health.models_checks import CHECK_AREAS, HealthCheck, Illness, MedicineDose

DATE_INPUT = ["iso-8601", "%d/%m/%Y"]


def _raise_400(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        raise serializers.ValidationError(exc.message_dict) from exc
    raise serializers.ValidationError({"non_field_errors": exc.messages}) from exc


class HealthCheckSerializer(serializers.ModelSerializer):
    date = serializers.DateField(input_formats=DATE_INPUT)

    class Meta:
        model = HealthCheck
        fields = ["id", "child", "school", "group", "date", "examiner", *[n for n, _l in CHECK_AREAS], "referral",
                  "referral_to", "note"]
        read_only_fields = ["school", "group"]


class IllnessSerializer(serializers.ModelSerializer):
    class Meta:
        model = Illness
        fields = ["id", "child", "school", "group", "noticed_at", "symptoms", "temperature", "care",
                  "parents_informed", "sent_home"]
        read_only_fields = ["school", "group"]


class MedicineDoseSerializer(serializers.ModelSerializer):
    medicine = serializers.CharField(max_length=200, required=False, allow_blank=True)
    dose = serializers.CharField(max_length=100, required=False, allow_blank=True)

    class Meta:
        model = MedicineDose
        fields = ["id", "child", "school", "group", "handover", "illness", "given_at", "medicine", "dose", "note"]
        read_only_fields = ["school", "group"]


class _CreateMixin:
    """POST through a service. The choices of ``child``, ``handover`` and ``illness`` are the caller's (for
    validation and for the browsable API's form): a child outside the write scope is "does not exist"."""

    def get_serializer(self, *args, **kwargs):
        ser = super().get_serializer(*args, **kwargs)
        if not kwargs.get("many") and hasattr(ser, "fields"):
            user = self.request.user
            fields = ser.fields
            fields["child"].queryset = scoping.children_reached(user, ser.Meta.model.scope_change_roles)
            if "handover" in fields:
                fields["handover"].queryset = Handover.objects.for_user(user)
                fields["illness"].queryset = Illness.objects.for_user(user)
        return ser

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            obj = self.perform_service(dict(ser.validated_data))
        except DjangoValidationError as exc:
            _raise_400(exc)
        except PermissionDenied:
            raise serializers.ValidationError({"child": ["Invalid pk - object does not exist."]}) from None
        return Response(type(ser)(obj, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)


class HealthCheckViewSet(_CreateMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Periodic health examinations: managers and health staff write; teachers (their groups' children) and
    parents (their own) read."""

    queryset = HealthCheck.objects.order_by("-date", "child_id")
    serializer_class = HealthCheckSerializer
    filterset_fields = ["child", "school", "group", "date", "referral"]

    def perform_service(self, d):
        child = d.pop("child")
        return services.health_check_record(actor=self.request.user, child=child, **d)


class IllnessViewSet(_CreateMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Illnesses at school."""

    queryset = Illness.objects.order_by("-noticed_at")
    serializer_class = IllnessSerializer
    filterset_fields = ["child", "school", "group"]

    def perform_service(self, d):
        child = d.pop("child")
        return services.illness_record(actor=self.request.user, child=child, **d)


class MedicineDoseViewSet(_CreateMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Medicine given at school, linked to the parents' request at drop-off (``handover``) when there is one."""

    queryset = MedicineDose.objects.order_by("-given_at")
    serializer_class = MedicineDoseSerializer
    filterset_fields = ["child", "school", "group", "handover"]

    def perform_service(self, d):
        child = d.pop("child")
        return services.medicine_give(actor=self.request.user, child=child, medicine=d.pop("medicine", ""),
                                      dose=d.pop("dose", ""), **d)


class CheckCountSerializer(serializers.Serializer):
    school = serializers.IntegerField()
    school_name = serializers.CharField()
    enrolled = serializers.IntegerField()
    examined = serializers.IntegerField()
    referred = serializers.IntegerField()
    illnesses = serializers.IntegerField()
    doses = serializers.IntegerField()


class CheckCountViewSet(viewsets.ViewSet):
    """Counts per school for the current school year (children enrolled, examined, referred; illnesses; doses):
    what the offices see of health checks."""

    serializer_class = CheckCountSerializer

    @extend_schema(responses=CheckCountSerializer(many=True))
    def list(self, request, *args, **kwargs):
        rows = selectors.check_counts(request.user, selectors.current_year())
        return Response([{"school": r["school"].pk, "school_name": r["school"].unit.name,
                          **{k: r[k] for k in ("enrolled", "examined", "referred", "illnesses", "doses")}}
                         for r in rows])


def register(router) -> None:
    router.register("health-checks", HealthCheckViewSet, basename="health-check")
    router.register("health-illnesses", IllnessViewSet, basename="health-illness")
    router.register("health-medicine", MedicineDoseViewSet, basename="health-medicine")
    router.register("health-check-counts", CheckCountViewSet, basename="health-check-counts")
