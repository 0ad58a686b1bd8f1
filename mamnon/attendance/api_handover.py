"""API for handovers (đón - trả trẻ), absence requests and incidents, scoped like the pages.

Reads go through core.api.ScopedViewSetMixin (teachers: their groups; parents: their own children). Writes go
through mamnon.attendance.handover_services; a service's field errors come back as 400 with the same keys, a
refusal by scoping as 403 or 404. Foreign keys in a request are looked up within the caller's scope, so a key
outside it is answered exactly like a key that does not exist (400).
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mamnon.attendance import handover_services as services
from mamnon.attendance.models import AbsenceRequest, Handover, Incident
from mamnon.children.models import AuthorisedPickup, Child, Group, Guardian
from mamnon.core import clock, scoping
from mamnon.core.api import SchoolIdField, ScopedViewSetMixin
from mamnon.org.models import School

DATE_INPUT = ["iso-8601", "%d/%m/%Y"]


def _raise_400(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        raise serializers.ValidationError(exc.message_dict) from exc
    raise serializers.ValidationError({"non_field_errors": exc.messages}) from exc


class ScopedPK(serializers.PrimaryKeyRelatedField):
    """A foreign key the caller may view: keys outside the scope read as "does not exist"."""

    def get_queryset(self):
        request = self.context.get("request")
        qs = super().get_queryset()
        return scoping.restrict(qs, request.user if request else None)


# --- handovers ---------------------------------------------------------------------------------------------


class HandoverSerializer(serializers.ModelSerializer):
    child_name = serializers.CharField(source="child.full_name", read_only=True)
    has_signature = serializers.SerializerMethodField()
    confirm_method = serializers.CharField(read_only=True,
                                           help_text="portal, pin or signature; empty while not confirmed.")

    class Meta:
        model = Handover
        fields = ["id", "school", "group", "child", "child_name", "date", "dropoff_at", "dropoff_by", "state",
                  "temperature", "symptoms", "medicine", "medicine_dose", "medicine_time", "confirmed_at",
                  "confirmed_by", "confirm_method", "has_signature", "pickup_at", "pickup_guardian",
                  "pickup_person", "pickup_other_name", "pickup_override_reason", "meals", "nap", "day_notes"]
        read_only_fields = fields

    def get_has_signature(self, obj) -> bool:
        return bool(obj.signature_svg)


class DropoffSerializer(serializers.Serializer):
    group = ScopedPK(queryset=Group.objects.all())
    child = ScopedPK(queryset=Child.objects.all())
    date = serializers.DateField(input_formats=DATE_INPUT, required=False, help_text="Default: today.")
    state = serializers.ChoiceField(choices=Handover.State.choices, default=Handover.State.NORMAL)
    temperature = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True,
                                           help_text="°C, 34.0-42.0")
    symptoms = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    medicine = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    medicine_dose = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    medicine_time = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    brought_by = ScopedPK(queryset=Guardian.objects.all(), required=False, allow_null=True)
    time = serializers.TimeField(required=False, allow_null=True, help_text="Default: now (today only).")


class PickupSerializer(serializers.Serializer):
    group = ScopedPK(queryset=Group.objects.all())
    child = ScopedPK(queryset=Child.objects.all())
    date = serializers.DateField(input_formats=DATE_INPUT, required=False, help_text="Default: today.")
    guardian = ScopedPK(queryset=Guardian.objects.all(), required=False, allow_null=True)
    person = ScopedPK(queryset=AuthorisedPickup.objects.all(), required=False, allow_null=True)
    other_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    override_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    meals = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    nap = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    day_notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    time = serializers.TimeField(required=False, allow_null=True, help_text="Default: now (today only).")


class ConfirmSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=Handover.Method.choices)
    guardian = ScopedPK(queryset=Guardian.objects.all(), required=False, allow_null=True,
                        help_text="For pin and signature: the guardian who confirms.")
    pin = serializers.CharField(max_length=4, required=False, allow_blank=True, default="")
    signature = serializers.CharField(max_length=services.SIGNATURE_MAX_CHARS, required=False, allow_blank=True,
                                      default="", help_text="SVG path data: 'M x y L x y ...'")


class HandoverFilter(django_filters.FilterSet):
    date = django_filters.DateFilter(input_formats=["%Y-%m-%d", "%d/%m/%Y"])

    class Meta:
        model = Handover
        fields = ["group", "child", "date"]


class HandoverViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """Drop-offs and pick-ups: staff of the school (teachers: their groups), parents their own children.

    Write with the actions: ``dropoff`` and ``pickup`` (the group's teachers and the school's managers),
    ``confirm`` (the guardian: in the portal as themselves, or with their PIN or signature on the teacher's
    phone)."""

    queryset = Handover.objects.select_related("child").order_by("-date", "child__name_folded")
    serializer_class = HandoverSerializer
    filterset_class = HandoverFilter

    def get_queryset(self):
        if self.action == "confirm":  # a parent views, and does not "change", the handover they confirm
            return scoping.restrict(self.queryset, self.request.user, scoping.VIEW)
        return super().get_queryset()

    def get_serializer_class(self):
        return {"dropoff": DropoffSerializer, "pickup": PickupSerializer,
                "confirm": ConfirmSerializer}.get(self.action, HandoverSerializer)

    def _today(self, data):
        return data.get("date") or clock.today()

    def _answer(self, handover, code=status.HTTP_200_OK):
        handover = Handover.objects.select_related("child").get(pk=handover.pk)
        return Response(HandoverSerializer(handover, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=DropoffSerializer, responses=HandoverSerializer)
    @action(detail=False, methods=["post"])
    def dropoff(self, request, *args, **kwargs):
        s = DropoffSerializer(data=request.data, context=self.get_serializer_context())
        s.is_valid(raise_exception=True)
        d = s.validated_data
        try:
            handover = services.handover_dropoff(
                actor=request.user, group=d["group"], child=d["child"], day=self._today(d), state=d["state"],
                temperature=d.get("temperature"), symptoms=d["symptoms"], medicine=d["medicine"],
                medicine_dose=d["medicine_dose"], medicine_time=d["medicine_time"], brought_by=d.get("brought_by"),
                at=d.get("time"))
        except DjangoValidationError as exc:
            _raise_400(exc)
        return self._answer(handover)

    @extend_schema(request=PickupSerializer, responses=HandoverSerializer)
    @action(detail=False, methods=["post"])
    def pickup(self, request, *args, **kwargs):
        s = PickupSerializer(data=request.data, context=self.get_serializer_context())
        s.is_valid(raise_exception=True)
        d = s.validated_data
        try:
            handover = services.handover_pickup(
                actor=request.user, group=d["group"], child=d["child"], day=self._today(d),
                guardian=d.get("guardian"), person=d.get("person"), other_name=d["other_name"],
                override_reason=d["override_reason"], meals=d["meals"], nap=d["nap"], day_notes=d["day_notes"],
                at=d.get("time"))
        except DjangoValidationError as exc:
            _raise_400(exc)
        return self._answer(handover)

    @extend_schema(request=ConfirmSerializer, responses=HandoverSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, *args, **kwargs):
        handover = self.get_object()
        s = ConfirmSerializer(data=request.data, context=self.get_serializer_context())
        s.is_valid(raise_exception=True)
        d = s.validated_data
        try:
            if d["method"] == Handover.Method.PORTAL:
                handover = services.handover_confirm_portal(actor=request.user, handover=handover)
            elif d["method"] == Handover.Method.PIN:
                handover = services.handover_confirm_pin(actor=request.user, handover=handover,
                                                         guardian=d.get("guardian"), pin=d["pin"])
            else:
                handover = services.handover_confirm_signature(actor=request.user, handover=handover,
                                                               guardian=d.get("guardian"), signature=d["signature"])
        except DjangoValidationError as exc:
            _raise_400(exc)
        return self._answer(handover)


# --- absence requests ------------------------------------------------------------------------------------------


class AbsenceRequestSerializer(serializers.ModelSerializer):
    child = ScopedPK(queryset=Child.objects.all())
    date_from = serializers.DateField(input_formats=DATE_INPUT)
    date_to = serializers.DateField(input_formats=DATE_INPUT)

    class Meta:
        model = AbsenceRequest
        fields = ["id", "school", "child", "date_from", "date_to", "reason", "sick", "requested_by",
                  "requested_at"]
        read_only_fields = ["id", "school", "requested_by", "requested_at"]


class AbsenceRequestViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Absences announced by parents (for their own children only) or by the school's managers."""

    queryset = AbsenceRequest.objects.order_by("-date_from", "-pk")
    serializer_class = AbsenceRequestSerializer
    filterset_fields = ["child", "sick"]

    def perform_create(self, serializer):
        d = serializer.validated_data
        try:
            serializer.instance = services.absence_request_create(
                actor=self.request.user, child=d["child"], date_from=d["date_from"], date_to=d["date_to"],
                reason=d["reason"], sick=d.get("sick", False))
        except DjangoValidationError as exc:
            _raise_400(exc)


# --- incidents -----------------------------------------------------------------------------------------------------


class IncidentSerializer(serializers.ModelSerializer):
    school = ScopedPK(queryset=School.objects.all(), pk_field=SchoolIdField())
    child = ScopedPK(queryset=Child.objects.all(), required=False, allow_null=True)
    group = ScopedPK(queryset=Group.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Incident
        fields = ["id", "school", "child", "group", "occurred_at", "place", "what", "present", "first_aid",
                  "parents_informed_at", "follow_up", "serious"]
        read_only_fields = ["id"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        visible = self.context.get("child_visible_schools")
        if visible is not None and instance.school_id not in visible:
            data["child"] = data["group"] = None  # offices read incidents without the children
        return data


class IncidentViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Injuries and accidents at school: recorded by the school's staff; read by the school, the offices above
    it (without the children's names) and each child's parents."""

    queryset = Incident.objects.order_by("-occurred_at", "-pk")
    serializer_class = IncidentSerializer
    filterset_fields = ["school", "serious"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        ctx["child_visible_schools"] = services.child_visible_schools(self.request.user)
        return ctx

    def perform_create(self, serializer):
        d = dict(serializer.validated_data)
        school = d.pop("school")
        try:
            serializer.instance = services.incident_create(actor=self.request.user, school=school, **d)
        except DjangoValidationError as exc:
            _raise_400(exc)

    def perform_update(self, serializer):
        d = dict(serializer.validated_data)
        if "school" in d and d.pop("school").pk != serializer.instance.school_id:
            raise serializers.ValidationError({"school": [_("An incident stays with the school where it happened.")]})
        try:
            serializer.instance = services.incident_update(actor=self.request.user, incident=serializer.instance,
                                                           **d)
        except DjangoValidationError as exc:
            _raise_400(exc)


def register(router) -> None:
    router.register("handovers", HandoverViewSet, basename="handover")
    router.register("absence-requests", AbsenceRequestViewSet, basename="absence-request")
    router.register("incidents", IncidentViewSet, basename="incident")
