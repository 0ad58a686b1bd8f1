from rest_framework import serializers

from mamnon.core.api import FK_LOOKUP_REGEX, ScopedReadOnlyViewSet
from mamnon.org.models import Membership, OrgUnit, School, SchoolYear, Site, Staff


class OrgUnitSerializer(serializers.ModelSerializer):
    level = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "level", "parent", "path", "depth", "active", "valid_from", "valid_to",
                  "merged_into"]


class SiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "name", "address", "is_main"]


class SchoolSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    code = serializers.CharField(source="unit.code", read_only=True)
    name = serializers.CharField(source="unit.name", read_only=True)
    parent = serializers.IntegerField(source="unit.parent_id", read_only=True)
    sites = SiteSerializer(many=True, read_only=True)

    class Meta:
        model = School
        fields = ["id", "code", "name", "parent", "ownership", "kind", "commune", "disadvantaged_area",
                  "licence_number", "licence_date", "address", "phone", "email", "website", "sites"]


class StaffSerializer(serializers.ModelSerializer):
    class Meta:
        model = Staff
        fields = ["id", "unit", "full_name", "position", "phone", "email", "active"]


class MembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "user", "unit", "role", "active"]


class SchoolYearSerializer(serializers.ModelSerializer):
    terms = serializers.SerializerMethodField()

    class Meta:
        model = SchoolYear
        fields = ["id", "code", "start_date", "end_date", "is_current", "terms"]

    def get_terms(self, obj) -> list[dict]:
        return [{"code": t.code, "start_date": t.start_date, "end_date": t.end_date} for t in obj.terms.all()]


class OrgUnitViewSet(ScopedReadOnlyViewSet):
    """Units of the organisation tree in the caller's scope."""

    queryset = OrgUnit.objects.select_related("level").order_by("path")
    serializer_class = OrgUnitSerializer
    filterset_fields = ["level__code", "parent", "active", "code"]


class SchoolViewSet(ScopedReadOnlyViewSet):
    queryset = School.objects.select_related("unit").prefetch_related("sites").order_by("unit__path")
    serializer_class = SchoolSerializer
    filterset_fields = ["ownership", "kind", "commune"]
    lookup_value_regex = FK_LOOKUP_REGEX


class StaffViewSet(ScopedReadOnlyViewSet):
    queryset = Staff.objects.order_by("unit_id", "full_name")
    serializer_class = StaffSerializer
    filterset_fields = ["unit", "active"]


class MembershipViewSet(ScopedReadOnlyViewSet):
    queryset = Membership.objects.order_by("unit_id", "role")
    serializer_class = MembershipSerializer
    filterset_fields = ["unit", "role", "active"]


class SchoolYearViewSet(ScopedReadOnlyViewSet):
    """School years are shared by everyone: any logged-in user reads them."""

    queryset = SchoolYear.objects.prefetch_related("terms")
    serializer_class = SchoolYearSerializer

    def get_queryset(self):
        return self.queryset


def register(router) -> None:
    router.register("units", OrgUnitViewSet, basename="unit")
    router.register("schools", SchoolViewSet, basename="school")
    router.register("staff", StaffViewSet, basename="staff")
    router.register("memberships", MembershipViewSet, basename="membership")
    router.register("school-years", SchoolYearViewSet, basename="school-year")
