"""API of the facilities and equipment domain, scoped like the pages (core.api.ScopedViewSetMixin).

Reads: facility profiles, rooms, the per-school summary with the TT 13/2020 warnings, the minimum equipment
list, group inventories with their shortfall, stocktakes and purchase plans. Writes: rooms (create, change,
delete) and group inventories, by the school's principal and vice-principals, through the services.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mamnon.children.api import InlineChoiceField
from mamnon.children.models import Group
from mamnon.core import scoping
from mamnon.core.api import FK_LOOKUP_REGEX, SchoolIdField, ScopedReadOnlyViewSet, ScopedViewSetMixin
from mamnon.facilities import selectors, services
from mamnon.facilities.models import (
    EquipmentItem,
    FacilityProfile,
    GroupEquipment,
    PurchasePlan,
    PurchasePlanLine,
    Room,
    Stocktake,
)
from mamnon.org.models import School, Site


def _raise_400(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        raise serializers.ValidationError(exc.message_dict) from exc
    raise serializers.ValidationError({"non_field_errors": exc.messages}) from exc


class ProfileSerializer(serializers.ModelSerializer):
    website = serializers.CharField(source="school.website", read_only=True)

    class Meta:
        model = FacilityProfile
        fields = ["school", "urban", "land_area", "yard_area", "grass_area", "internet", "management_software",
                  "cameras", "website", "updated_at"]
        read_only_fields = fields


class RoomSerializer(serializers.ModelSerializer):
    kind = InlineChoiceField(choices=Room.Kind.choices)
    construction = InlineChoiceField(choices=Room.Construction.choices, required=False)
    condition = InlineChoiceField(choices=Room.Condition.choices, required=False)
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.none(), required=False,
                                                pk_field=SchoolIdField())
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.none(), required=False)
    group = serializers.PrimaryKeyRelatedField(queryset=Group.objects.none(), required=False, allow_null=True)

    class Meta:
        model = Room
        fields = ["id", "school", "site", "name", "kind", "construction", "area", "condition", "group", "in_use",
                  "one_way", "clean_water", "supply_contract", "food_safety_cert", "meets_standard"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            managed = selectors.managed_schools(request.user)
            self.fields["school"].queryset = managed
            self.fields["site"].queryset = Site.objects.filter(school__in=managed)
            self.fields["group"].queryset = Group.objects.filter(school__in=managed)


class ItemSerializer(serializers.ModelSerializer):
    category = InlineChoiceField(choices=EquipmentItem.Category.choices, read_only=True)
    domain = InlineChoiceField(choices=EquipmentItem.Domain.choices, read_only=True)
    basis = InlineChoiceField(choices=EquipmentItem.Basis.choices, read_only=True)

    class Meta:
        model = EquipmentItem
        fields = ["id", "code", "name", "age_band", "category", "domain", "unit_name", "quantity", "basis", "source"]
        read_only_fields = fields


class HoldingSerializer(serializers.ModelSerializer):
    class Meta:
        model = GroupEquipment
        fields = ["id", "school", "group", "item", "quantity", "damaged", "updated_at"]
        read_only_fields = fields


class HoldingWriteSerializer(serializers.Serializer):
    group = serializers.IntegerField()
    lines = serializers.ListField(child=serializers.DictField(child=serializers.IntegerField()),
                                  help_text="[{'item': id, 'quantity': n, 'damaged': n}, ...]")


class StocktakeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stocktake
        fields = ["id", "school", "school_year", "day", "note", "closed_at"]
        read_only_fields = fields


class PlanLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = PurchasePlanLine
        fields = ["item", "quantity", "groups", "unit_price"]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):
    lines = PlanLineSerializer(many=True, read_only=True)

    class Meta:
        model = PurchasePlan
        fields = ["id", "school", "school_year", "title", "created_at", "lines"]
        read_only_fields = fields


class SummarySerializer(serializers.Serializer):
    school = serializers.IntegerField(source="school.pk")
    school_name = serializers.CharField(source="school.unit.name")
    children = serializers.IntegerField()
    groups = serializers.IntegerField()
    rooms = serializers.DictField(child=serializers.FloatField(allow_null=True))
    equipment_groups = serializers.IntegerField()
    equipment_meeting = serializers.IntegerField()
    warnings = serializers.SerializerMethodField()

    def get_warnings(self, row) -> list[dict]:
        return [{"code": code, "message": msg} for code, msg in row.warnings]


# --- viewsets ------------------------------------------------------------------------------------------------


class ProfileViewSet(ScopedReadOnlyViewSet):
    queryset = FacilityProfile.objects.select_related("school").order_by("school_id")
    serializer_class = ProfileSerializer
    filterset_fields = ["school"]
    lookup_value_regex = FK_LOOKUP_REGEX


class RoomViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Rooms in the caller's scope; the school's managers create, change and remove them."""

    queryset = Room.objects.order_by("school_id", "kind", "name")
    serializer_class = RoomSerializer
    filterset_fields = ["school", "kind"]

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        school = data.pop("school", None)
        if school is None:
            schools = list(ser.fields["school"].queryset[:2])
            if len(schools) != 1:
                raise serializers.ValidationError({"school": ["This field is required."]})
            school = schools[0]
        try:
            room = services.room_create(school=school, actor=request.user, **data)
        except DjangoValidationError as exc:
            _raise_400(exc)
        return Response(RoomSerializer(room, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        room = self.get_object()
        ser = self.get_serializer(room, data=request.data, partial=kwargs.get("partial", False))
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data.pop("school", None)
        try:
            room = services.room_update(room=room, actor=request.user, **data)
        except DjangoValidationError as exc:
            _raise_400(exc)
        return Response(RoomSerializer(room, context=self.get_serializer_context()).data)

    def perform_destroy(self, instance):
        services.room_delete(room=instance, actor=self.request.user)


class SummaryViewSet(viewsets.GenericViewSet):
    """Per school in scope: figures and the TT 13/2020 warnings (the pages' roll-up)."""

    serializer_class = SummarySerializer
    queryset = School.objects.none()

    def list(self, request, *args, **kwargs):
        schools = selectors.schools_for(request.user)
        page = self.paginate_queryset(schools)
        rows = selectors.school_rows(page if page is not None else schools)
        data = SummarySerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)


class ItemViewSet(ScopedReadOnlyViewSet):
    queryset = EquipmentItem.objects.filter(active=True).order_by("age_band", "category", "code")
    serializer_class = ItemSerializer
    filterset_fields = ["age_band", "category"]


class HoldingViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Group inventories (teachers: their groups). POST sets a group's holdings, all or nothing."""

    queryset = GroupEquipment.objects.order_by("group_id", "item_id")
    serializer_class = HoldingSerializer
    filterset_fields = ["group", "item"]

    @extend_schema(request=HoldingWriteSerializer, responses={200: HoldingSerializer(many=True)})
    def create(self, request, *args, **kwargs):
        ser = HoldingWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        group = scoping.restrict(Group.objects.select_related("school"), request.user).filter(
            pk=ser.validated_data["group"]).first()
        if group is None:
            raise serializers.ValidationError({"group": ["No such group."]})
        counts = {}
        for n, line in enumerate(ser.validated_data["lines"], start=1):
            if "item" not in line or "quantity" not in line:
                raise serializers.ValidationError({"lines": [f"Line {n}: item and quantity are required."]})
            counts[line["item"]] = (line["quantity"], line.get("damaged", 0))
        try:
            services.inventory_set(group=group, actor=request.user, counts=counts)
        except PermissionDenied:
            raise
        except DjangoValidationError as exc:
            _raise_400(exc)
        rows = GroupEquipment.objects.filter(group=group).order_by("item_id")
        return Response(HoldingSerializer(rows, many=True).data)


def _managed_school(request, school_id) -> School:
    schools = selectors.managed_schools(request.user)
    school = schools.filter(pk=school_id).first() if school_id else (schools.first() if schools.count() == 1
                                                                     else None)
    if school is None:
        raise serializers.ValidationError({"school": ["Choose one of the schools you manage."]})
    return school


class StocktakeStartSerializer(serializers.Serializer):
    school = serializers.IntegerField(required=False)
    day = serializers.DateField(input_formats=["iso-8601", "%d/%m/%Y"])
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class StocktakeCountSerializer(serializers.Serializer):
    group = serializers.IntegerField()
    lines = serializers.ListField(child=serializers.DictField(child=serializers.IntegerField()),
                                  help_text="[{'item': id, 'counted': n, 'damaged': n}, ...]")


class StocktakeViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """Stocktakes (kiểm kê): POST opens one; ``count`` records a group's counts; ``close`` applies them."""

    queryset = Stocktake.objects.order_by("-day", "-id")
    serializer_class = StocktakeSerializer
    filterset_fields = ["school"]

    @extend_schema(request=StocktakeStartSerializer, responses={201: StocktakeSerializer})
    def create(self, request, *args, **kwargs):
        ser = StocktakeStartSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        school = _managed_school(request, ser.validated_data.get("school"))
        year = selectors.current_school_year()
        if year is None:
            raise serializers.ValidationError({"non_field_errors": ["There is no current school year."]})
        try:
            take = services.stocktake_start(school=school, year=year, actor=request.user,
                                            day=ser.validated_data["day"], note=ser.validated_data["note"])
        except DjangoValidationError as exc:
            _raise_400(exc)
        return Response(StocktakeSerializer(take).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StocktakeCountSerializer, responses={200: StocktakeSerializer})
    @action(detail=True, methods=["post"])
    def count(self, request, pk=None):
        take = self.get_object()
        ser = StocktakeCountSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        group = Group.objects.filter(pk=ser.validated_data["group"], school_id=take.school_id).first()
        if group is None:
            raise serializers.ValidationError({"group": ["No such group in this school."]})
        counts = {}
        for n, line in enumerate(ser.validated_data["lines"], start=1):
            if "item" not in line or "counted" not in line:
                raise serializers.ValidationError({"lines": [f"Line {n}: item and counted are required."]})
            counts[line["item"]] = (line["counted"], line.get("damaged", 0))
        try:
            services.stocktake_count(stocktake=take, group=group, actor=request.user, counts=counts)
        except DjangoValidationError as exc:
            _raise_400(exc)
        return Response(StocktakeSerializer(take).data)

    @extend_schema(request=None, responses={200: StocktakeSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        take = self.get_object()
        try:
            services.stocktake_close(stocktake=take, actor=request.user)
        except DjangoValidationError as exc:
            _raise_400(exc)
        return Response(StocktakeSerializer(take).data)


class PlanCreateSerializer(serializers.Serializer):
    school = serializers.IntegerField(required=False)


class PlanViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Purchase plans; POST makes one from the shortfalls of the school's groups."""

    queryset = PurchasePlan.objects.prefetch_related("lines").order_by("-created_at", "-id")
    serializer_class = PlanSerializer
    filterset_fields = ["school"]

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanSerializer})
    def create(self, request, *args, **kwargs):
        ser = PlanCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        school = _managed_school(request, ser.validated_data.get("school"))
        year = selectors.current_school_year()
        if year is None:
            raise serializers.ValidationError({"non_field_errors": ["There is no current school year."]})
        try:
            plan = services.purchase_plan_from_shortfalls(school=school, year=year, actor=request.user)
        except DjangoValidationError as exc:
            _raise_400(exc)
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    """Register this app's viewsets on the project's router (config/api_urls.py)."""
    router.register("facility-profiles", ProfileViewSet, basename="facility-profile")
    router.register("rooms", RoomViewSet, basename="room")
    router.register("facility-summary", SummaryViewSet, basename="facility-summary")
    router.register("equipment-items", ItemViewSet, basename="equipment-item")
    router.register("group-equipment", HoldingViewSet, basename="group-equipment")
    router.register("stocktakes", StocktakeViewSet, basename="stocktake")
    router.register("purchase-plans", PlanViewSet, basename="purchase-plan")
