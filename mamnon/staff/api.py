"""API of the staff domain, scoped like the pages (core.api.ScopedViewSetMixin); writes through the services.

/api/staff-records/      staff records (HR details) with the computed standard status; managers create/change
/api/staff-ratings/      professional-standard ratings; POST self-assess / decide (levels per criterion)
/api/staff-annual-ratings/  civil-servant ratings of the year
/api/staff-trainings/    training records; managers add
/api/staff-norms/        teacher norm (TT 19/2023) per school in scope, with the total
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mamnon.children.api import DATE_INPUT, InlineChoiceField
from mamnon.children.ethnicity import ETHNIC_GROUPS
from mamnon.children.selectors import current_school_year
from mamnon.core.api import (
    FK_LOOKUP_REGEX,
    SchoolIdField,
    ScopedReadOnlyViewSet,
    ScopedViewSetMixin,
    SingleObjectSchema,
)
from mamnon.org.models import OrgUnit, School, SchoolYear, Staff
from mamnon.staff import selectors, services
from mamnon.staff.models import (
    AnnualRating,
    Employment,
    RatingLevel,
    Sex,
    StaffRecord,
    StandardRating,
    TitleGrade,
    Training,
    TrainingLevel,
)


def _raise_400(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        raise serializers.ValidationError(exc.message_dict) from exc
    raise serializers.ValidationError({"non_field_errors": exc.messages}) from exc


class StaffRecordSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="staff.full_name", read_only=True)
    position = serializers.CharField(source="staff.position", read_only=True)
    active = serializers.BooleanField(source="staff.active", read_only=True)
    school_name = serializers.CharField(source="school.unit.name", read_only=True)
    sex = InlineChoiceField(choices=Sex.choices, read_only=True)
    ethnicity = InlineChoiceField(choices=ETHNIC_GROUPS, read_only=True)
    employment = InlineChoiceField(choices=Employment.choices, read_only=True)
    title_grade = InlineChoiceField(choices=TitleGrade.choices, read_only=True, allow_blank=True)
    training_level = InlineChoiceField(choices=TrainingLevel.choices, read_only=True)
    standard_status = serializers.SerializerMethodField(
        help_text="meets / in_training / roadmap / exempt / below / n/a: against the standard training level "
                  "(Luật Giáo dục 2019 Điều 72, Nghị định 71/2020)")
    retirement_date = serializers.SerializerMethodField()

    class Meta:
        model = StaffRecord
        fields = ["staff", "school", "school_name", "full_name", "position", "active", "sex", "birth_date",
                  "ethnicity", "employment", "hired_on", "joined_on", "title_grade", "training_level", "major",
                  "preschool_pedagogy", "in_upgrade_training", "upgraded_under_roadmap", "party_member",
                  "party_joined_on", "note", "standard_status", "retirement_date"]
        read_only_fields = fields

    def get_standard_status(self, obj) -> str:
        row = self.context.get("statuses", {}).get(obj.pk)
        return row.status if row else ""

    def get_retirement_date(self, obj) -> str | None:
        row = self.context.get("statuses", {}).get(obj.pk)
        return row.retirement.isoformat() if row and row.retirement else None


class StaffRecordWriteSerializer(serializers.Serializer):
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.none(), required=False,
                                                pk_field=SchoolIdField())
    full_name = serializers.CharField(max_length=150, required=False)
    position = InlineChoiceField(choices=Staff.Position.choices, required=False)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)
    sex = InlineChoiceField(choices=Sex.choices, required=False)
    birth_date = serializers.DateField(input_formats=DATE_INPUT, required=False, allow_null=True)
    ethnicity = InlineChoiceField(choices=ETHNIC_GROUPS, required=False)
    employment = InlineChoiceField(choices=Employment.choices, required=False)
    hired_on = serializers.DateField(input_formats=DATE_INPUT, required=False, allow_null=True)
    joined_on = serializers.DateField(input_formats=DATE_INPUT, required=False, allow_null=True)
    title_grade = InlineChoiceField(choices=TitleGrade.choices, required=False, allow_blank=True)
    training_level = InlineChoiceField(choices=TrainingLevel.choices, required=False)
    major = serializers.CharField(max_length=120, required=False, allow_blank=True)
    preschool_pedagogy = serializers.BooleanField(required=False)
    in_upgrade_training = serializers.BooleanField(required=False)
    upgraded_under_roadmap = serializers.BooleanField(required=False)
    party_member = serializers.BooleanField(required=False)
    party_joined_on = serializers.DateField(input_formats=DATE_INPUT, required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["school"].queryset = selectors.managed_schools(request.user)


class StaffRecordViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Staff records in the caller's scope (managers and offices; a person her own)."""

    queryset = StaffRecord.objects.select_related("staff", "school__unit").order_by("school_id", "staff__full_name",
                                                                                    "pk")
    serializer_class = StaffRecordSerializer
    filterset_fields = ["school", "training_level", "party_member"]
    lookup_value_regex = FK_LOOKUP_REGEX

    def _context(self, rows):
        staff = [r.staff for r in rows]
        return {**self.get_serializer_context(),
                "statuses": selectors.statuses(staff, {r.pk: r for r in rows})}

    def list(self, request, *args, **kwargs):
        qs = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(qs)
        rows = list(page if page is not None else qs)
        data = StaffRecordSerializer(rows, many=True, context=self._context(rows)).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return Response(StaffRecordSerializer(obj, context=self._context([obj])).data)

    def _write(self, request, staff=None, partial=False):
        ser = StaffRecordWriteSerializer(data=request.data, partial=partial, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        school = data.pop("school", None)
        if staff is None and school is None:
            schools = list(ser.fields["school"].queryset[:2])
            if len(schools) != 1:
                raise serializers.ValidationError({"school": ["This field is required."]})
            school = schools[0]
        try:
            record = services.record_save(actor=request.user, school=school, staff=staff, **data)
        except DjangoValidationError as exc:
            _raise_400(exc)
        record = StaffRecord.objects.select_related("staff", "school__unit").get(pk=record.pk)
        return StaffRecordSerializer(record, context=self._context([record])).data

    @extend_schema(request=StaffRecordWriteSerializer, responses={201: StaffRecordSerializer})
    def create(self, request, *args, **kwargs):
        if not selectors.managed_school_ids(request.user) and not request.user.is_superuser:
            raise PermissionDenied
        return Response(self._write(request), status=status.HTTP_201_CREATED)

    @extend_schema(request=StaffRecordWriteSerializer, responses=StaffRecordSerializer)
    def update(self, request, *args, **kwargs):
        return Response(self._write(request, staff=self.get_object().staff, partial=kwargs.get("partial", False)))

    @extend_schema(request=StaffRecordWriteSerializer, responses=StaffRecordSerializer)
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


class StandardRatingSerializer(serializers.ModelSerializer):
    school_year = serializers.SlugRelatedField(slug_field="code", read_only=True)
    standard = InlineChoiceField(choices=StandardRating.Standard.choices, read_only=True)
    self_overall = InlineChoiceField(choices=RatingLevel.choices, read_only=True, allow_null=True)
    overall = InlineChoiceField(choices=RatingLevel.choices, read_only=True, allow_null=True)

    class Meta:
        model = StandardRating
        fields = ["id", "staff", "school", "school_year", "standard", "self_levels", "self_overall",
                  "self_assessed_at", "levels", "overall", "decided_by", "decided_at", "note"]
        read_only_fields = fields


class RatingInputSerializer(serializers.Serializer):
    staff = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.none())
    school_year = serializers.SlugRelatedField(slug_field="code", queryset=SchoolYear.objects.all(), required=False)
    standard = InlineChoiceField(choices=StandardRating.Standard.choices)
    levels = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=3, allow_null=True),
                                   help_text="One level per criterion, in order: 0 Chưa đạt, 1 Đạt, 2 Khá, 3 Tốt.")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["staff"].queryset = selectors.school_staff(request.user)


class StandardRatingViewSet(ScopedReadOnlyViewSet):
    """Professional-standard ratings (TT 26/2018 teachers, TT 25/2018 principals)."""

    queryset = StandardRating.objects.select_related("school_year").order_by("-school_year__start_date", "staff_id")
    serializer_class = StandardRatingSerializer
    filterset_fields = ["school", "staff", "standard", "overall"]

    def _rate(self, request, step):
        ser = RatingInputSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        year = d.get("school_year") or current_school_year()
        try:
            if step == "self":
                row = services.rating_self_assess(actor=request.user, staff=d["staff"], school_year=year,
                                                  standard=d["standard"], levels=d["levels"])
            else:
                row = services.rating_decide(actor=request.user, staff=d["staff"], school_year=year,
                                             standard=d["standard"], levels=d["levels"], note=d.get("note", ""))
        except DjangoValidationError as exc:
            _raise_400(exc)
        return Response(StandardRatingSerializer(row).data)

    @extend_schema(request=RatingInputSerializer, responses=StandardRatingSerializer)
    @action(detail=False, methods=["post"], url_path="self-assess")
    def self_assess(self, request):
        return self._rate(request, "self")

    @extend_schema(request=RatingInputSerializer, responses=StandardRatingSerializer)
    @action(detail=False, methods=["post"])
    def decide(self, request):
        return self._rate(request, "decide")


class AnnualRatingSerializer(serializers.ModelSerializer):
    school_year = serializers.SlugRelatedField(slug_field="code", read_only=True)
    result = InlineChoiceField(choices=AnnualRating.Result.choices, read_only=True)

    class Meta:
        model = AnnualRating
        fields = ["id", "staff", "school", "school_year", "result", "note"]


class AnnualRatingViewSet(ScopedReadOnlyViewSet):
    queryset = AnnualRating.objects.select_related("school_year").order_by("-school_year__start_date", "staff_id")
    serializer_class = AnnualRatingSerializer
    filterset_fields = ["school", "staff", "result"]


class TrainingSerializer(serializers.ModelSerializer):
    topic = InlineChoiceField(choices=Training.Topic.choices)
    start_date = serializers.DateField(input_formats=DATE_INPUT)
    end_date = serializers.DateField(input_formats=DATE_INPUT)
    staff = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.none())

    class Meta:
        model = Training
        fields = ["id", "staff", "school", "course", "topic", "hours", "start_date", "end_date", "provider",
                  "certificate"]
        read_only_fields = ["id", "school"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["staff"].queryset = selectors.school_staff(request.user)


class TrainingViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      viewsets.GenericViewSet):
    queryset = Training.objects.order_by("-start_date", "pk")
    serializer_class = TrainingSerializer
    filterset_fields = ["school", "staff", "topic"]

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        try:
            row = services.training_add(actor=request.user, **ser.validated_data)
        except DjangoValidationError as exc:
            _raise_400(exc)
        return Response(TrainingSerializer(row, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class NormSerializer(serializers.Serializer):
    school_id = serializers.IntegerField()
    name = serializers.CharField()
    groups = serializers.IntegerField()
    children = serializers.IntegerField()
    norm = serializers.FloatField(help_text="teachers the school is entitled to (TT 19/2023 Điều 5)")
    teachers = serializers.IntegerField(help_text="active teachers on the school's staff")
    assigned = serializers.IntegerField(help_text="distinct teachers assigned to the year's groups")
    balance = serializers.FloatField(help_text="teachers minus norm: positive a surplus, negative a shortage")


class NormsViewSet(viewsets.ViewSet):
    """Teacher norm per school in the caller's scope (``?unit=`` narrows to a unit), and the total."""

    schema = SingleObjectSchema()

    @extend_schema(parameters=[OpenApiParameter("unit", int), OpenApiParameter("school_year", str)],
                   responses={200: inline_serializer("StaffNorms", {
                       "school_year": serializers.CharField(allow_null=True),
                       "schools": NormSerializer(many=True), "total": NormSerializer()})})
    def list(self, request, *args, **kwargs):
        if not selectors.can_view_records(request.user):
            raise PermissionDenied
        schools = selectors.schools_under(request.user)
        unit_id = request.query_params.get("unit", "")
        if unit_id:
            from mamnon.core import scoping

            unit = scoping.restrict(OrgUnit.objects.all(), request.user).filter(
                pk=int(unit_id) if unit_id.isascii() and unit_id.isdigit() else 0).first()
            if unit is None:
                raise serializers.ValidationError({"unit": [_("Unknown unit.")]})
            schools = schools.filter(unit__path__startswith=unit.path)
        year = SchoolYear.objects.filter(code=request.query_params.get("school_year", "")).first() or \
            current_school_year()
        rows = selectors.norms(schools.values("pk"), year=year) if year else []
        total = selectors.rollup(rows)
        data = [dict(NormSerializer(r).data) for r in rows]
        return Response({"school_year": year.code if year else None, "schools": data,
                         "total": dict(NormSerializer(total).data)})


def register(router) -> None:
    router.register("staff-records", StaffRecordViewSet, basename="staff-record")
    router.register("staff-ratings", StandardRatingViewSet, basename="staff-rating")
    router.register("staff-annual-ratings", AnnualRatingViewSet, basename="staff-annual-rating")
    router.register("staff-trainings", TrainingViewSet, basename="staff-training")
    router.register("staff-norms", NormsViewSet, basename="staff-norm")
