"""API of attendance and meal counts; ``register`` adds them to the project router.

* ``GET /api/attendance/?group=&date=`` lists the rows in the caller's scope;
  ``POST /api/attendance/day/`` saves a whole group's day through the same service as the page.
* ``GET /api/meal-counts/?school=<id>&date=YYYY-MM-DD`` and ``GET /api/meal-counts/forecast/?school=<id>``
  give the kitchen its counts by age band (kitchen staff, principal, vice-principals, officers above).
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from mamnon.attendance import selectors, services
from mamnon.attendance.models import Attendance, AttendanceStatus
from mamnon.children.models import Group
from mamnon.core.api import MAX_INTEGER, ScopedViewSetMixin, SingleObjectSchema

MAX_MARKS = 200
FORECAST_MAX_DAYS = 20


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "school", "group", "child", "date", "status", "note", "recorded_by", "recorded_at"]


class MarkSerializer(serializers.Serializer):
    child = serializers.IntegerField(min_value=1)
    status = serializers.ChoiceField(choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT)
    note = serializers.CharField(max_length=services.NOTE_MAX, allow_blank=True, required=False, default="")


STATUS_CHOICES = frozenset(AttendanceStatus.values)


@extend_schema_field(MarkSerializer(many=True))
class MarksField(serializers.Field):
    """The marks of a register, checked by hand: the busiest request of the API, where a nested serializer's
    per-item machinery costs more than the rest of the validation. Errors keep DRF's shape
    (``{"marks": [{}, {"status": ["..."]}]}``)."""

    default_error_messages = {
        "not_a_list": _("Expected a list of marks."),
        "too_many": _("At most %(max)d marks.") % {"max": MAX_MARKS},
    }

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list")
        if len(data) > MAX_MARKS:
            self.fail("too_many")
        marks, errors, bad = [], [], False
        for item in data:
            err = {}
            if not isinstance(item, dict):
                errors.append({"non_field_errors": [_("Expected an object with child, status and note.")]})
                bad = True
                continue
            child = item.get("child")
            if isinstance(child, bool) or not isinstance(child, int) or child < 1:
                err["child"] = [_("A child's id (a positive integer) is required.")]
            status_ = item.get("status", AttendanceStatus.PRESENT)
            if status_ not in STATUS_CHOICES:
                err["status"] = [_("“%(value)s” is not a valid choice.") % {"value": status_}]
            note = item.get("note", "")
            if not isinstance(note, str) or len(note) > services.NOTE_MAX:
                err["note"] = [_("A text of at most %(max)d characters.") % {"max": services.NOTE_MAX}]
            errors.append(err)
            bad = bad or bool(err)
            if not err:
                marks.append(services.Mark(child, status_, note))
        if bad:
            raise serializers.ValidationError(errors)
        return marks

    def to_representation(self, value):
        return [{"child": m.child_id, "status": m.status, "note": m.note} for m in value]


class GroupDaySerializer(serializers.Serializer):
    """A whole group's register for one day: children not listed in ``marks`` are present."""

    group = serializers.IntegerField(min_value=1)
    date = serializers.DateField()
    marks = MarksField(required=False, default=list)


_MARKS = MarksField()


class GroupDayResultSerializer(serializers.Serializer):
    group = serializers.IntegerField()
    date = serializers.DateField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    present = serializers.IntegerField()
    absent = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _plain_day_request(data, marks_field: MarksField):
    """(group, date, marks) when ``data`` is a well-formed JSON register, checked by hand; None otherwise.

    The API's busiest call: DRF's serializer machinery (field copies, validators) cost more than the checks
    themselves. Anything unusual (a form body, a wrong type, a bad mark) returns None, and the request goes
    through ``GroupDaySerializer``, which gives DRF's usual errors: the outcome is the serializer's either way.
    """
    if type(data) is not dict:
        return None
    group, day, marks = data.get("group"), data.get("date"), data.get("marks", [])
    if type(group) is not int or group < 1 or type(day) is not str or not _ISO_DAY.fullmatch(day):
        return None
    try:
        day = dt.date.fromisoformat(day)
        marks = marks_field.to_internal_value(marks)
    except (ValueError, serializers.ValidationError):
        return None
    return group, day, marks


def _errors(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}


class AttendanceViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """Attendance rows (one per child and school day) in the caller's scope; ``day`` saves a group's day."""

    queryset = Attendance.objects.order_by("date", "group_id", "child_id")
    serializer_class = AttendanceSerializer
    filterset_fields = ["group", "date", "child", "school", "status"]

    @extend_schema(request=GroupDaySerializer, responses={200: GroupDayResultSerializer})
    @action(detail=False, methods=["post"], url_path="day", serializer_class=GroupDaySerializer)
    def day(self, request, *args, **kwargs):
        plain = _plain_day_request(request.data, _MARKS)
        if plain is None:
            data = GroupDaySerializer(data=request.data)
            data.is_valid(raise_exception=True)
            v = data.validated_data
        else:
            v = dict(zip(("group", "date", "marks"), plain, strict=True))
        marks = v["marks"]
        try:
            result = services.attendance_save(actor=request.user, group_id=v["group"], day=v["date"], marks=marks)
        except Group.DoesNotExist:
            raise NotFound from None
        except ValidationError as exc:
            return Response(_errors(exc), status=status.HTTP_400_BAD_REQUEST)
        return Response({
            "group": v["group"], "date": v["date"], "created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "present": result.present, "absent": result.absent,
            "counts": result.counts,
        })


class _MealQuery(serializers.Serializer):
    school = serializers.IntegerField(min_value=1, max_value=MAX_INTEGER, required=False)
    date = serializers.DateField(required=False)
    days = serializers.IntegerField(min_value=1, max_value=FORECAST_MAX_DAYS, required=False, default=5)


_COUNTS = inline_serializer("MealCounts", {
    "school": serializers.IntegerField(), "date": serializers.DateField(),
    "school_day": serializers.BooleanField(), "counts": serializers.DictField(child=serializers.IntegerField()),
    "total": serializers.IntegerField(),
})
_FORECAST = inline_serializer("MealForecast", {
    "school": serializers.IntegerField(),
    "days": inline_serializer("MealForecastDay", {
        "date": serializers.DateField(), "counts": serializers.DictField(child=serializers.IntegerField()),
        "total": serializers.IntegerField()}, many=True),
})
_SCHOOL = OpenApiParameter("school", OpenApiTypes.INT,
                           description="school (unit) id; may be left out by a user who reaches one school")


class MealCountViewSet(viewsets.ViewSet):
    """Children expected to eat, by age band: for one day, or for the coming school days (forecast)."""

    schema = SingleObjectSchema()  # list answers one object

    def _school_and_query(self, request):
        query = _MealQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        schools = selectors.meal_schools(request.user).select_related("unit")
        if "school" in query.validated_data:
            school = schools.filter(pk=query.validated_data["school"]).first()
        else:  # kitchen staff of one school need not know its id
            only = list(schools[:2])
            if len(only) != 1:
                raise serializers.ValidationError({"school": [_("Give the school (its id).")]})
            school = only[0]
        if school is None:
            raise NotFound
        return school, query.validated_data

    @extend_schema(parameters=[_SCHOOL, OpenApiParameter("date", OpenApiTypes.DATE, description="default: today")],
                   responses={200: _COUNTS})
    def list(self, request, *args, **kwargs):
        school, q = self._school_and_query(request)
        day = q.get("date") or selectors.local_today()
        counts = selectors.meal_counts(school=school, day=day)
        return Response({"school": school.pk, "date": day, "school_day": bool(counts) or selectors.is_school_day(
            school=school, day=day), "counts": counts, "total": sum(counts.values())})

    @extend_schema(parameters=[_SCHOOL, OpenApiParameter("date", OpenApiTypes.DATE, description="first day"),
                               OpenApiParameter("days", OpenApiTypes.INT, description="school days (1-20)")],
                   responses={200: _FORECAST})
    @action(detail=False, methods=["get"])
    def forecast(self, request, *args, **kwargs):
        school, q = self._school_and_query(request)
        start = q.get("date") or selectors.local_today() + dt.timedelta(days=1)
        days = selectors.meal_forecast(school=school, start=start, days=q["days"])
        return Response({"school": school.pk, "days": [
            {"date": d, "counts": c, "total": sum(c.values())} for d, c in days]})


def register(router) -> None:
    router.register("attendance", AttendanceViewSet, basename="attendance")
    router.register("meal-counts", MealCountViewSet, basename="meal-counts")
