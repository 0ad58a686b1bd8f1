"""API of growth monitoring: measurement rounds, measurements with their WHO scores and statuses, round statistics.

Scoped like the pages (``mamnon.core.scoping`` through ``core.api.ScopedViewSetMixin``): a teacher reads and
writes her groups' measurements, a parent reads their child's, a school's managers and health staff the whole
school; offices define rounds and read round figures (counts and shares), never a child's row (Measurement's
``scope_view_roles``). Writes go through ``mamnon.health.services`` (``measurements_save`` computes the z-scores
and statuses), so the API and the grid give the same figures and the same Vietnamese errors, which name the field
and the child; bad input is a 400 and nothing is written.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mamnon.children.api import DATE_INPUT, InlineChoiceField
from mamnon.children.models import Child, Enrolment, Group
from mamnon.core import scoping
from mamnon.core.api import ScopedViewSetMixin, SingleObjectSchema
from mamnon.health import forms, selectors, services, stats
from mamnon.health.models import Measurement, MeasurementRound, Status
from mamnon.org.models import OrgUnit, SchoolYear

STATUS_NAMES = {s.value: s.name.lower() for s in Status}
# Indicator codes a row counts in (numerator), read from the statistics' own definitions: one implementation.
CONDITIONS = {code: stats.COUNTS[num] for code, (num, _den) in stats.INDICATORS.items() if num in stats.COUNTS}


def conditions_of(m: Measurement) -> list[str]:
    return [code for code, (axis, statuses) in CONDITIONS.items() if getattr(m, axis) in statuses]


def _field_errors(exc: DjangoValidationError, *, single: bool) -> dict:
    """A service's ValidationError as a 400 body. For one row, each row error goes under the field it is about
    (its code, set by the service); for a batch they stay under ``entries``."""
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": exc.messages}
    out: dict[str, list[str]] = {}
    for key, errors in exc.error_dict.items():
        for err in errors:
            target = err.code if single and key == "entries" and err.code else key
            out.setdefault(target, []).extend(err.messages)
    return out


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberTextField(serializers.Field):
    """A number as JSON number or text ("14,5" and "14.5" alike); parsed with the grid's parser, whose message
    names the child and the field."""

    def to_internal_value(self, data):
        return data  # parsed by ``_entry``, whose message names the child

    def to_representation(self, value):
        return value


# --- rounds -------------------------------------------------------------------------------------------------


class RoundSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    school_year = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = MeasurementRound
        fields = ["id", "unit", "unit_name", "school_year", "number", "name", "start_date", "end_date", "deadline"]
        read_only_fields = fields


class RoundWriteSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none(), required=False,
                                              help_text="The office or school defining the round (default: the "
                                                        "caller's only one).")
    school_year = serializers.SlugRelatedField(slug_field="code", queryset=SchoolYear.objects.all(), required=False,
                                               help_text="School year code, e.g. 2023-2024 (default: the current).")
    number = serializers.IntegerField(min_value=1, max_value=12)
    name = serializers.CharField(max_length=100)
    start_date = serializers.DateField(input_formats=DATE_INPUT)
    end_date = serializers.DateField(input_formats=DATE_INPUT)
    deadline = serializers.DateField(input_formats=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["unit"].queryset = selectors.round_units(request.user)


class RoundApiFilter(django_filters.FilterSet):
    school_year = django_filters.CharFilter(field_name="school_year__code", label="school year code (2023-2024)")
    unit = django_filters.NumberFilter(field_name="unit_id")

    class Meta:
        model = MeasurementRound
        fields = ["school_year", "unit", "number"]


class RoundViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Weighing and measuring rounds the caller sees (those of her units and of the offices above them).
    Offices define rounds for every school below them, a school's managers and health staff for their school."""

    queryset = MeasurementRound.objects.select_related("unit", "school_year").order_by(
        "school_year__start_date", "number", "unit__depth", "pk")
    serializer_class = RoundSerializer
    filterset_class = RoundApiFilter

    def get_queryset(self):
        # Reads and the object of an update: the rounds in view; the service decides who may change them.
        return scoping.restrict(super(ScopedViewSetMixin, self).get_queryset(), self.request.user)

    def _definer(self):
        if not scoping.is_admin(self.request.user) and not selectors.round_units(self.request.user).exists():
            raise PermissionDenied

    @extend_schema(request=RoundWriteSerializer, responses={201: RoundSerializer})
    def create(self, request, *args, **kwargs):
        self._definer()
        ser = RoundWriteSerializer(data=request.data, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        unit = d.pop("unit", None)
        if unit is None:
            units = list(ser.fields["unit"].queryset[:2])
            if len(units) != 1:
                raise serializers.ValidationError({"unit": [_("Choose the unit the round is for.")]})
            unit = units[0]
        year = d.pop("school_year", None) or selectors.current_year()
        try:
            rnd = services.round_create(actor=request.user, unit=unit, school_year=year, **d)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_field_errors(exc, single=True)) from exc
        return Response(RoundSerializer(rnd).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RoundWriteSerializer, responses=RoundSerializer)
    def update(self, request, *args, **kwargs):
        rnd = self.get_object()
        self._definer()
        partial = kwargs.pop("partial", False)
        ser = RoundWriteSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        if not partial:
            missing = [f for f in ("name", "start_date", "end_date", "deadline") if f not in d]
            if missing:
                raise serializers.ValidationError({f: [_("This field is required.")] for f in missing})
        try:
            rnd = services.round_update(actor=request.user, rnd=rnd, name=d.get("name", rnd.name),
                                        start_date=d.get("start_date", rnd.start_date),
                                        end_date=d.get("end_date", rnd.end_date),
                                        deadline=d.get("deadline", rnd.deadline))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_field_errors(exc, single=True)) from exc
        return Response(RoundSerializer(rnd).data)

    @extend_schema(request=RoundWriteSerializer, responses=RoundSerializer)
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


# --- measurements -------------------------------------------------------------------------------------------


class MeasurementSerializer(serializers.ModelSerializer):
    child_name = serializers.CharField(source="child.full_name", read_only=True)
    flags = serializers.SerializerMethodField(help_text="Scores WHO flags as biologically implausible.")
    statuses = serializers.SerializerMethodField(
        help_text="Status per axis: wfa (weight-for-age), hfa (length/height-for-age), wfh (weight-for-length/"
                  "height, or BMI-for-age from 60 months): not_assessed, normal, moderate, severe, overweight, "
                  "obese.")
    conditions = serializers.SerializerMethodField(
        help_text="The indicator codes the row counts in: UNDERWEIGHT, STUNTING, WASTING, OVERWEIGHT, OBESE.")
    uses_bmi = serializers.BooleanField(read_only=True, help_text="Third axis is BMI-for-age (from 60 months).")
    weight_kg = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False, allow_null=True)
    height_cm = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False, allow_null=True)

    class Meta:
        model = Measurement
        fields = ["id", "child", "child_name", "school", "group", "round", "date", "age_days", "weight_kg",
                  "height_cm", "measured_lying", "oedema", "note", "waz", "haz", "whz", "baz", "flags", "statuses",
                  "uses_bmi", "conditions"]
        read_only_fields = fields

    def get_flags(self, obj) -> list[str]:
        return [f for f in obj.flags.split(",") if f]

    @extend_schema_field({"type": "object", "properties": {k: {"type": "string"} for k in ("wfa", "hfa", "wfh")}})
    def get_statuses(self, obj) -> dict:
        return {"wfa": STATUS_NAMES[obj.wfa_status], "hfa": STATUS_NAMES[obj.hfa_status],
                "wfh": STATUS_NAMES[obj.wfh_status]}

    def get_conditions(self, obj) -> list[str]:
        return conditions_of(obj)


class _RowFields(serializers.Serializer):
    weight_kg = NumberTextField(required=False, allow_null=True)
    height_cm = NumberTextField(required=False, allow_null=True)
    measured_lying = serializers.BooleanField(required=False, allow_null=True, default=None,
                                              help_text="true: lying length; false: standing height; null: unknown")
    oedema = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.NOTE_MAX)


class MeasurementWriteSerializer(_RowFields):
    """One child's measurement: in a round (``round``) or outside the rounds (no ``round``)."""

    child = serializers.IntegerField()
    date = serializers.DateField(input_formats=DATE_INPUT)
    round = serializers.IntegerField(required=False, allow_null=True)
    group = serializers.IntegerField(required=False, allow_null=True,
                                     help_text="default: the child's group on the day")


class BatchRowSerializer(_RowFields):
    child = serializers.IntegerField()


class BatchSerializer(serializers.Serializer):
    """A group's measurements of one day (the grid's save): all rows or nothing."""

    group = serializers.IntegerField()
    date = serializers.DateField(input_formats=DATE_INPUT)
    round = serializers.IntegerField(required=False, allow_null=True)
    entries = BatchRowSerializer(many=True)


class BatchResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    measurements = MeasurementSerializer(many=True)


class MeasurementApiFilter(django_filters.FilterSet):
    round = django_filters.NumberFilter(field_name="round_id")
    round_number = django_filters.NumberFilter(field_name="round__number")
    school_year = django_filters.CharFilter(field_name="round__school_year__code", label="school year code")
    group = django_filters.NumberFilter(field_name="group_id")
    child = django_filters.NumberFilter(field_name="child_id")
    school = django_filters.NumberFilter(field_name="school_id")
    outside_rounds = django_filters.BooleanFilter(field_name="round", lookup_expr="isnull")

    class Meta:
        model = Measurement
        fields = ["round", "round_number", "school_year", "group", "child", "school", "outside_rounds"]


def _entry(d: dict, child_id: int, name: str) -> services.Entry:
    """Numbers parsed like the grid's; errors name the child and the field (400 under that field)."""
    values, errors = {}, {}
    for key, label in (("weight_kg", _("weight")), ("height_cm", _("height"))):
        try:
            values[key] = forms.parse_number(d.get(key), field=f"{name}, {label}")
        except forms.NumberError as exc:
            errors[key] = [str(exc)]
    if errors:
        raise serializers.ValidationError(errors)
    return services.Entry(child_id=child_id, weight_kg=values["weight_kg"], height_cm=values["height_cm"],
                          measured_lying=d.get("measured_lying"), oedema=bool(d.get("oedema")),
                          note=(d.get("note") or "").strip())


def _check_date(entry: services.Entry, child: Child, day: dt.date) -> None:
    """A day before birth is the date's error (the service's message), before looking for the day's group."""
    errors = [m for f, m in services.entry_errors(entry, name=child.full_name, birth_date=child.birth_date, day=day)
              if f == "date"]
    if errors:
        raise serializers.ValidationError({"date": errors})


class MeasurementViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
                         viewsets.GenericViewSet):
    """Measurements with their WHO z-scores, flags and nutrition statuses, for the children in the caller's scope
    (teachers: their groups; parents: their child; a school's managers and health staff: the school).
    Created and corrected through the same service as the entry grid, which computes the scores."""

    queryset = Measurement.objects.select_related("child").order_by("child_id", "date", "pk")
    serializer_class = MeasurementSerializer
    filterset_class = MeasurementApiFilter

    def _writer(self):
        user = self.request.user
        if not scoping.is_admin(user) and not selectors.entry_groups(user, write=True).exists():
            raise PermissionDenied

    def _round(self, round_id) -> MeasurementRound | None:
        if round_id is None:
            return None
        rnd = MeasurementRound.objects.for_user(self.request.user).filter(pk=round_id).first()
        if rnd is None:
            raise serializers.ValidationError({"round": [_("Round #%(id)s does not exist or is not yours.")
                                                         % {"id": round_id}]})
        return rnd

    def _child(self, child_id: int) -> Child:
        child = Child.objects.for_user(self.request.user).filter(pk=child_id).first()
        if child is None:
            raise serializers.ValidationError({"child": [_("Child #%(id)s does not exist or is not yours.")
                                                         % {"id": child_id}]})
        return child

    def _group_of(self, child: Child, day: dt.date, group_id: int | None) -> int:
        """The writable group the child is enrolled in on ``day`` (``group_id`` when given)."""
        groups = selectors.entry_groups(self.request.user, write=True)
        enrolled = Enrolment.objects.filter(selectors.enrolled_on(day), child=child, group__in=groups)
        if group_id is not None:
            enrolled = enrolled.filter(group_id=group_id)
        found = enrolled.order_by("-start_date").values_list("group_id", flat=True).first()
        if found is None:
            raise serializers.ValidationError({"child": [
                _("%(name)s is not in a group you enter measurements for on %(day)s.")
                % {"name": child.full_name, "day": services._d(day)}]})
        return found

    def _save(self, *, group_id, day, entries, rnd, single: bool):
        try:
            return services.measurements_save(actor=self.request.user, group_id=group_id, day=day,
                                              entries=entries, rnd=rnd)
        except Group.DoesNotExist:
            raise serializers.ValidationError({"group": [_("Group #%(id)s is not one you enter measurements "
                                                           "for.") % {"id": group_id}]}) from None
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_field_errors(exc, single=single)) from exc

    def _answer(self, pk, code=status.HTTP_200_OK):
        row = Measurement.objects.select_related("child").get(pk=pk)
        return Response(MeasurementSerializer(row, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=MeasurementWriteSerializer, responses={201: MeasurementSerializer})
    def create(self, request, *args, **kwargs):
        """One child's measurement; in a round, entering it again corrects the round's row."""
        self._writer()
        ser = MeasurementWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        child = self._child(d["child"])
        rnd = self._round(d.get("round"))
        entry = _entry(d, child.pk, child.full_name)
        _check_date(entry, child, d["date"])
        group_id = self._group_of(child, d["date"], d.get("group"))
        result = self._save(group_id=group_id, day=d["date"], entries=[entry], rnd=rnd, single=True)
        m = result.measurements[0]
        return self._answer(m.pk, status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @extend_schema(request=MeasurementWriteSerializer, responses=MeasurementSerializer)
    def update(self, request, *args, **kwargs):
        """Correct a measurement (its child and round stay); values left out keep theirs."""
        m = self.get_object()
        ser = MeasurementWriteSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        d = {**{"weight_kg": m.weight_kg, "height_cm": m.height_cm, "measured_lying": m.measured_lying,
                "oedema": m.oedema, "note": m.note}, **ser.validated_data}
        for key in ("child", "round"):
            if key in ser.validated_data and ser.validated_data[key] != getattr(m, f"{key}_id"):
                raise serializers.ValidationError({key: [_("A measurement's %(field)s cannot change: delete it and "
                                                           "enter it again.") % {"field": key}]})
        day = d.get("date", m.date)
        if m.round_id is None and day != m.date:
            raise serializers.ValidationError({"date": [_("A measurement outside the rounds cannot move to another "
                                                          "day: delete it and enter it again.")]})
        entry = _entry(d, m.child_id, m.child.full_name)
        _check_date(entry, m.child, day)
        group_id = self._group_of(m.child, day, d.get("group"))
        self._save(group_id=group_id, day=day, entries=[entry], rnd=m.round, single=True)
        return self._answer(m.pk)

    @extend_schema(request=MeasurementWriteSerializer, responses=MeasurementSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    def perform_destroy(self, instance):
        services.measurement_delete(actor=self.request.user, measurement=instance)

    @extend_schema(request=BatchSerializer, responses=BatchResultSerializer)
    @action(detail=False, methods=["post"])
    def batch(self, request, *args, **kwargs):
        """A group's measurements of one day, all or nothing; errors under ``entries`` name each child and field."""
        self._writer()
        ser = BatchSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        rnd = self._round(d.get("round"))
        names = dict(Child.objects.for_user(request.user).filter(pk__in=[e["child"] for e in d["entries"]])
                     .values_list("pk", "full_name"))
        entries, errors = [], []
        for i, row in enumerate(d["entries"], 1):
            label = names.get(row["child"]) or _("Row %(n)d") % {"n": i}
            try:
                entries.append(_entry(row, row["child"], label))
            except serializers.ValidationError as exc:
                errors += [m for ms in exc.detail.values() for m in ms]
        if errors:
            raise serializers.ValidationError({"entries": errors})
        result = self._save(group_id=d["group"], day=d["date"], entries=entries, rnd=rnd, single=False)
        rows = Measurement.objects.select_related("child").filter(pk__in=[m.pk for m in result.measurements])
        return Response({"created": result.created, "updated": result.updated,
                         "measurements": MeasurementSerializer(rows, many=True,
                                                               context=self.get_serializer_context()).data})


# --- round statistics ---------------------------------------------------------------------------------------


class StatsRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="unit_id", help_text="unit id (group id in a school's table)")
    name = serializers.CharField()
    is_school = serializers.BooleanField()
    values = serializers.DictField(child=serializers.IntegerField(),
                                   help_text="counts: enrolled, measured, wfa/hfa/wfh_assessed, underweight(_severe),"
                                             " stunting(_severe), wasting(_severe), overweight, obese")
    shares = serializers.DictField(child=serializers.FloatField(allow_null=True),
                                   help_text="percentages: measured of enrolled, each status of those assessed")
    change = serializers.DictField(child=serializers.FloatField(allow_null=True),
                                   help_text="percentage points against round 1 of the school year")


class StatsSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    school_year = serializers.CharField()
    round = serializers.IntegerField()
    reference_day = serializers.DateField(help_text="the day enrolment is counted on")
    by = InlineChoiceField(choices=[("unit", "unit"), ("group", "group")])
    rows = StatsRowSerializer(many=True)
    total = StatsRowSerializer()


STATS_PARAMS = [
    OpenApiParameter("unit", int, description="unit id (default: the caller's highest unit with figures)"),
    OpenApiParameter("school_year", str, description="school year code (default: the current)"),
    OpenApiParameter("round", int, description="round number 1-3 (default 1)"),
]


class GrowthStatsViewSet(viewsets.GenericViewSet):
    """Round statistics of a unit, as on the statistics page: one row per unit below it (per group for a
    school) with children measured / enrolled, counts and shares of each status and the change in points
    against round 1. Offices, a school's managers and health staff; figures only, no child's row."""

    serializer_class = StatsSerializer
    pagination_class = None
    filter_backends: list = []
    schema = SingleObjectSchema()

    def get_queryset(self):
        return selectors.stats_units(self.request.user)

    def _params(self, request):
        errors = {}
        code = request.query_params.get("school_year", "")
        year = SchoolYear.objects.filter(code=code).first() if code else selectors.current_year()
        if year is None:
            errors["school_year"] = [_("School year %(code)s does not exist.") % {"code": code}]
        number = request.query_params.get("round", "1")
        if number not in ("1", "2", "3"):
            errors["round"] = [_("The round number must be 1, 2 or 3.")]
        unit_id = request.query_params.get("unit", "")
        if unit_id and not (unit_id.isascii() and unit_id.isdigit()):
            errors["unit"] = [_("Give a unit id.")]
        if errors:
            raise serializers.ValidationError(errors)
        units = self.get_queryset()
        unit = units.filter(pk=int(unit_id)).first() if unit_id else selectors.top_stats_unit(request.user)
        if unit is None or not units.filter(pk=unit.pk).exists():
            raise Http404
        return year, int(number), unit

    @extend_schema(parameters=STATS_PARAMS, responses=StatsSerializer)
    def list(self, request, *args, **kwargs):
        year, number, unit = self._params(request)
        today = selectors.local_today()
        if unit.is_school:
            table = stats.group_table(unit.school, year.code, number, today=today)
        else:
            table = stats.unit_table(unit, year.code, number, today=today)

        def row(r):
            return {"unit_id": r.unit_id, "name": r.name, "is_school": r.is_school, "values": r.values,
                    "shares": r.shares, "change": r.change}

        data = {"unit": unit.pk, "unit_name": unit.name, "school_year": year.code, "round": number,
                "reference_day": stats.reference_day(year.code, number, today),
                "by": "group" if unit.is_school else "unit",
                "rows": [row(r) for r in table.rows], "total": row(table.total)}
        return Response(StatsSerializer(data).data)


def register(router) -> None:
    router.register("measurement-rounds", RoundViewSet, basename="measurement-round")
    router.register("measurements", MeasurementViewSet, basename="measurement")
    router.register("growth-statistics", GrowthStatsViewSet, basename="growth-statistics")
