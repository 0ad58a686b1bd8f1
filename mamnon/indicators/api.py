"""API of the targets and indicators domain, scoped like the pages.

``/api/indicators/`` the catalogue (texts in Vietnamese and English); ``/api/indicator-values/`` stored values
(of the units the caller may view);
``/api/targets/`` targets (create and change through the same service as the page); ``/api/declared-values/``
declarations; ``/api/scorecard/?unit=<id>&year=2023-2024`` the statuses of a unit's targets.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from mamnon.calc import periods as P
from mamnon.children.api import InlineChoiceField
from mamnon.core.api import ScopedReadOnlyViewSet, ScopedViewSetMixin
from mamnon.indicators import registry, selectors, services
from mamnon.indicators.models import COMPARISON_CHOICES, DeclaredValue, Indicator, IndicatorValue, Target
from mamnon.org.models import OrgUnit


def _raise_400(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        raise serializers.ValidationError(exc.message_dict) from exc
    raise serializers.ValidationError({"non_field_errors": exc.messages}) from exc


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator with its texts in both languages (``*_vi``, ``*_en``) and, without suffix, in the language of
    the request (Vietnamese unless the language cookie chose English)."""

    computed = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = ["code", "section", "kind", "measure", "factor", "unit", "name", "name_vi", "name_en",
                  "definition", "definition_vi", "definition_en", "numerator", "numerator_vi", "numerator_en",
                  "denominator", "denominator_vi", "denominator_en", "covers", "covers_vi", "covers_en",
                  "seeds", "seeds_vi", "seeds_en", "regulation", "direction", "tracked_by", "computed"]

    def get_computed(self, obj) -> bool:
        return obj.code in registry.computed_codes()


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The indicator catalogue (the same for everyone)."""

    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    lookup_field = "code"
    filterset_fields = ["section", "kind"]


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    source = InlineChoiceField(choices=IndicatorValue.Source.choices, read_only=True)

    class Meta:
        model = IndicatorValue
        fields = ["id", "unit", "indicator", "period", "numerator", "denominator", "value", "source", "schools",
                  "computed_at"]


class IndicatorValueViewSet(ScopedReadOnlyViewSet):
    """Stored values: sums of numerators and denominators of the schools below each unit."""

    queryset = IndicatorValue.objects.select_related("indicator").order_by("unit_id", "indicator__order", "period")
    serializer_class = IndicatorValueSerializer
    filterset_fields = {"unit": ["exact"], "period": ["exact"], "indicator__code": ["exact"]}


class TargetSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", queryset=Indicator.objects.all())
    comparison = InlineChoiceField(choices=COMPARISON_CHOICES)
    description = serializers.CharField(source="describe", read_only=True)
    # A plain id, not a choice list: the browsable API would otherwise list every unit's name.
    unit = serializers.IntegerField(source="unit_id")

    class Meta:
        model = Target
        fields = ["id", "unit", "indicator", "period", "comparison", "value", "baseline_period", "note", "source",
                  "description"]
        read_only_fields = ["source"]
        validators = []  # the service replaces an existing target of the same unit, indicator and period


class TargetViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Targets of the units the caller may view; officers and school managers set their units' targets."""

    queryset = Target.objects.select_related("indicator", "unit").order_by("unit_id", "indicator__order")
    serializer_class = TargetSerializer
    filterset_fields = {"unit": ["exact"], "period": ["exact"], "indicator__code": ["exact"]}

    def perform_create(self, serializer):
        data = serializer.validated_data
        unit = OrgUnit.objects.for_user(self.request.user).filter(pk=data["unit_id"]).first()
        if unit is None:
            raise serializers.ValidationError({"unit": ["Đơn vị không tồn tại hoặc ngoài phạm vi của bạn."]})
        try:
            serializer.instance = services.target_set(
                actor=self.request.user, unit=unit, indicator=data["indicator"], period=data["period"],
                comparison=data["comparison"], value=data.get("value"),
                baseline_period=data.get("baseline_period", ""), note=data.get("note", ""))
        except DjangoPermissionDenied as exc:
            raise PermissionDenied from exc
        except DjangoValidationError as exc:
            _raise_400(exc)

    def perform_destroy(self, instance):
        try:
            services.target_delete(actor=self.request.user, target=instance)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied from exc


class DeclaredValueSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = InlineChoiceField(choices=DeclaredValue.Status.choices, read_only=True)

    class Meta:
        model = DeclaredValue
        fields = ["id", "unit", "indicator", "period", "numerator", "denominator", "evidence", "note", "status",
                  "declared_at", "reviewed_at", "review_note"]


class DeclaredValueViewSet(ScopedReadOnlyViewSet):
    queryset = DeclaredValue.objects.select_related("indicator").order_by("-declared_at")
    serializer_class = DeclaredValueSerializer
    filterset_fields = {"unit": ["exact"], "period": ["exact"], "status": ["exact"]}


class ScorecardLineSerializer(serializers.Serializer):
    target = TargetSerializer()
    inherited = serializers.BooleanField()
    latest = serializers.FloatField(allow_null=True)
    latest_period = serializers.CharField()
    baseline = serializers.FloatField(allow_null=True)
    status = InlineChoiceField(choices=["achieved", "on_track", "at_risk", "not_achieved", "no_data"])
    series = serializers.ListField(child=serializers.ListField())


class ScorecardViewSet(viewsets.GenericViewSet):
    """The statuses of a unit's targets for a school year (own targets and those offered from above)."""

    serializer_class = ScorecardLineSerializer
    queryset = Target.objects.none()
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("unit", int, required=True),
                               OpenApiParameter("year", str, description="2023-2024; default the current year")])
    def list(self, request, *args, **kwargs):
        unit_id = request.query_params.get("unit", "")
        unit = OrgUnit.objects.for_user(request.user).filter(pk=int(unit_id)).first() if unit_id.isdigit() else None
        if unit is None:
            raise NotFound("Không tìm thấy đơn vị.")
        year = request.query_params.get("year") or services.current_school_year()
        try:
            if P.parse_period(year).kind != P.SCHOOL_YEAR:
                raise P.PeriodError(year)
        except P.PeriodError as exc:
            raise serializers.ValidationError({"year": [f"{year} không phải là năm học (ví dụ 2023-2024)."]}) from exc
        lines = selectors.scorecard(unit, year)
        return Response(ScorecardLineSerializer(lines, many=True).data)


def register(router) -> None:
    """Register this app's viewsets on the project's router (config/api_urls.py)."""
    router.register("indicators", IndicatorViewSet, basename="indicator")
    router.register("indicator-values", IndicatorValueViewSet, basename="indicator-value")
    router.register("targets", TargetViewSet, basename="target")
    router.register("declared-values", DeclaredValueViewSet, basename="declared-value")
    router.register("scorecard", ScorecardViewSet, basename="scorecard")
