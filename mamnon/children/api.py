"""API for children, groups and enrolments, scoped like the pages (core.api.ScopedViewSetMixin).

Reads are open to everyone in scope. Children are created and changed by the school's principal and
vice-principals, through the same services as the pages; a service's field errors come back as 400 with the
same keys. Support data (disability, policy flags) appears in a child's answer only when scoping lets the
caller see that child's ``ChildSupport`` row; otherwise the ``support`` key is absent.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from mamnon.children import selectors, services
from mamnon.children.ethnicity import ETHNIC_GROUPS, KINH
from mamnon.children.models import AgeBand, Child, ChildStatus, ChildSupport, Enrolment, Group, Sex
from mamnon.core import scoping
from mamnon.core.api import SchoolIdField, ScopedReadOnlyViewSet, ScopedViewSetMixin
from mamnon.org.models import OrgUnit, School

DATE_INPUT = ["iso-8601", "%d/%m/%Y"]


class InlineChoiceField(serializers.ChoiceField):
    """A choice field documented as a string listing its values, not as a shared ``...Enum`` component.

    drf-spectacular names enum components after the field (``status``, ``age_band``, ``end_reason``), and
    other apps have fields of the same names with other choices: the names collide and the schema warns.
    """


class InlineChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = InlineChoiceField

    def map_serializer_field(self, auto_schema, direction):
        values = ", ".join(f"`{v}`" for v in self.target.choices)
        # Integer choices (a staff member's training level) are answered as numbers, not strings.
        numbers = all(isinstance(v, int) and not isinstance(v, bool) for v in self.target.choices)
        return {"type": "integer" if numbers else "string",
                "description": f"One of {values}" + (" or blank." if self.target.allow_blank else ".")}


def _raise_400(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        raise serializers.ValidationError(exc.message_dict) from exc
    raise serializers.ValidationError({"non_field_errors": exc.messages}) from exc


# --- serializers -------------------------------------------------------------------------------------


class SupportSerializer(serializers.ModelSerializer):
    disability_level = InlineChoiceField(choices=ChildSupport.DisabilityLevel.choices, required=False,
                                         allow_blank=True)

    class Meta:
        model = ChildSupport
        fields = list(services.SUPPORT_FIELDS)


class ChildSerializer(serializers.ModelSerializer):
    school_name = serializers.CharField(source="school.unit.name", read_only=True)
    sex = InlineChoiceField(choices=Sex.choices, read_only=True)
    ethnicity = InlineChoiceField(choices=ETHNIC_GROUPS, read_only=True)
    status = InlineChoiceField(choices=ChildStatus.choices, read_only=True)
    group = serializers.SerializerMethodField(help_text="The group the child is in now (null: none).")
    support = serializers.SerializerMethodField(
        help_text="Present only when the caller may see the child's support data.")

    class Meta:
        model = Child
        fields = ["id", "school", "school_name", "full_name", "birth_date", "sex", "ethnicity", "personal_id",
                  "address", "residence_commune", "status", "group", "created_at", "support"]
        # Output only (writes go through ChildWriteSerializer): the browsable API then renders no choice
        # lists of schools and communes, which would name units outside the caller's scope.
        read_only_fields = fields

    def get_group(self, obj) -> int | None:
        current = getattr(obj, "open_enrolments", None)
        return current[0].group_id if current else None

    @extend_schema_field(SupportSerializer(allow_null=True))
    def get_support(self, obj):
        row = self.context.get("support", {}).get(obj.pk)
        return SupportSerializer(row).data if row is not None else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.pk not in self.context.get("support", {}):
            data.pop("support", None)
        return data


class ChildSerializerExtension(OpenApiSerializerExtension):
    """The schema of ChildSerializer, with ``support`` optional: it is left out, not null, for a caller who may
    not see the child's support data (drf-spectacular marks every read-only field required)."""

    target_class = ChildSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        schema["required"] = [name for name in schema.get("required", []) if name != "support"]
        return schema


class ChildWriteSerializer(serializers.Serializer):
    """Input of create and update; every check is the service's (errors name the field)."""

    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.none(), required=False,
                                                pk_field=SchoolIdField())
    full_name = serializers.CharField(max_length=150)
    birth_date = serializers.DateField(input_formats=DATE_INPUT)
    sex = InlineChoiceField(choices=Sex.choices)
    ethnicity = InlineChoiceField(choices=ETHNIC_GROUPS, default=KINH)
    personal_id = serializers.CharField(max_length=20, required=False, allow_blank=True, allow_null=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    residence_commune = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.filter(level__code="commune"),
                                                           required=False, allow_null=True)
    support = SupportSerializer(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            from mamnon.children.forms import managed_schools

            self.fields["school"].queryset = managed_schools(request.user)


class GroupSerializer(serializers.ModelSerializer):
    school_year = serializers.SlugRelatedField(slug_field="code", read_only=True)
    age_band = InlineChoiceField(choices=AgeBand.choices, read_only=True)
    child_count = serializers.IntegerField(read_only=True)
    disabled_count = serializers.IntegerField(read_only=True)
    maximum = serializers.SerializerMethodField(help_text="Maximum under the class-size rules in force.")
    warnings = serializers.SerializerMethodField()
    teachers = serializers.SerializerMethodField()

    class Meta:
        model = Group
        fields = ["id", "school", "school_year", "site", "name", "age_band", "full_day", "semi_boarding", "english",
                  "active", "child_count", "disabled_count", "maximum", "warnings", "teachers"]

    def _check(self, obj):
        return self.context.get("checks", {}).get(obj.pk)

    def get_maximum(self, obj) -> int | None:
        check = self._check(obj)
        return check.limit.maximum if check else None

    def get_warnings(self, obj) -> list[dict]:
        check = self._check(obj)
        if check is None:
            return []
        return [{"code": w.code, "message": w.message, "value": w.value, "limit": w.limit,
                 "legal_basis": w.legal_basis, "overridden": w.overridden,
                 "override_reason": w.override.reason if w.override else ""} for w in check.warnings]

    def get_teachers(self, obj) -> list[dict]:
        return [{"id": a.staff_id, "full_name": a.staff.full_name, "is_lead": a.is_lead}
                for a in getattr(obj, "visible_assignments", [])]


class EnrolmentSerializer(serializers.ModelSerializer):
    start_reason = InlineChoiceField(choices=Enrolment.Reason.choices, read_only=True)
    end_reason = InlineChoiceField(choices=Enrolment.Reason.choices, read_only=True, allow_blank=True)

    class Meta:
        model = Enrolment
        fields = ["id", "child", "group", "school", "start_date", "end_date", "start_reason", "end_reason", "note"]


# --- filters -----------------------------------------------------------------------------------------


class ChildApiFilter(django_filters.FilterSet):
    school = django_filters.NumberFilter(field_name="school_id", label="school id")
    group = django_filters.NumberFilter(method="filter_group", label="group id (current enrolment)")
    status = django_filters.ChoiceFilter(choices=ChildStatus.choices)
    search = django_filters.CharFilter(method="filter_search",
                                       label="name (diacritics ignored), guardian phone or ID number")

    class Meta:
        model = Child
        fields = ["school", "group", "status", "search"]

    def filter_group(self, queryset, name, value):
        return queryset.filter(enrolments__group_id=value, enrolments__end_date__isnull=True)

    def filter_search(self, queryset, name, value):
        return selectors.children_search(self.request.user, value, qs=queryset)


class GroupApiFilter(django_filters.FilterSet):
    school = django_filters.NumberFilter(field_name="school_id")
    school_year = django_filters.CharFilter(field_name="school_year__code", label="school year code (2023-2024)")

    class Meta:
        model = Group
        fields = ["school", "school_year", "age_band", "active"]


class EnrolmentApiFilter(django_filters.FilterSet):
    child = django_filters.NumberFilter(field_name="child_id")
    group = django_filters.NumberFilter(field_name="group_id")
    school = django_filters.NumberFilter(field_name="school_id")
    open = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull", label="open (no end date)")

    class Meta:
        model = Enrolment
        fields = ["child", "group", "school", "open"]


# --- viewsets ----------------------------------------------------------------------------------------


class _ContextMixin:
    """List and retrieve with extra serializer context computed once for the page's rows."""

    def extra_context(self, rows) -> dict:
        return {}

    def _respond(self, rows, many):
        context = {**self.get_serializer_context(), **self.extra_context(rows)}
        return self.get_serializer(rows if many else rows[0], many=many, context=context).data

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(self._respond(list(page), True))
        return Response(self._respond(list(queryset), True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._respond([self.get_object()], False))


class ChildViewSet(_ContextMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Children in the caller's scope; principals create and change them."""

    queryset = Child.objects.select_related("school__unit").order_by("name_folded", "birth_date", "pk")
    serializer_class = ChildSerializer
    filterset_class = ChildApiFilter

    def get_queryset(self):
        open_rows = scoping.restrict(Enrolment.objects.filter(end_date__isnull=True), self.request.user)
        return super().get_queryset().prefetch_related(
            Prefetch("enrolments", queryset=open_rows, to_attr="open_enrolments"))

    def extra_context(self, rows) -> dict:
        return {"support": selectors.visible_support(self.request.user, rows)}

    def _write(self, request, child=None, partial=False):
        user = request.user
        if not scoping.is_admin(user) and not selectors.managed_school_ids(user):
            raise PermissionDenied
        ser = ChildWriteSerializer(data=request.data, partial=partial, context=self.get_serializer_context())
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        support = d.pop("support", None)
        try:
            if child is None:
                school = d.pop("school", None)
                if school is None:
                    schools = list(ser.fields["school"].queryset[:2])
                    if len(schools) != 1:
                        raise serializers.ValidationError({"school": ["This field is required."]})
                    school = schools[0]
                child = services.child_create(actor=user, school=school, support=support, **d)
            else:
                d.pop("school", None)  # a child changes school only by a transfer
                child = services.child_update(actor=user, child=child, support=support, **d)
        except DjangoValidationError as exc:
            _raise_400(exc)
        child = self.get_queryset().model.objects.select_related("school__unit").get(pk=child.pk)
        return self._respond([child], False)

    @extend_schema(request=ChildWriteSerializer, responses={201: ChildSerializer})
    def create(self, request, *args, **kwargs):
        return Response(self._write(request), status=status.HTTP_201_CREATED)

    @extend_schema(request=ChildWriteSerializer, responses=ChildSerializer)
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        return Response(self._write(request, child=self.get_object(), partial=partial))

    @extend_schema(request=ChildWriteSerializer, responses=ChildSerializer)
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


class GroupViewSet(_ContextMixin, ScopedReadOnlyViewSet):
    """Groups and classes with their counts, maximum under the rules, warnings and (visible) teachers."""

    queryset = Group.objects.order_by("school_id", "school_year__start_date", "age_band", "name")
    serializer_class = GroupSerializer
    filterset_class = GroupApiFilter

    def get_queryset(self):
        qs = selectors.groups_with_counts(super().get_queryset())
        return selectors.with_teachers(qs, self.request.user)

    def extra_context(self, rows) -> dict:
        return {"checks": selectors.group_checks(rows)}


class EnrolmentViewSet(ScopedReadOnlyViewSet):
    queryset = Enrolment.objects.order_by("child_id", "start_date", "pk")
    serializer_class = EnrolmentSerializer
    filterset_class = EnrolmentApiFilter


def register(router) -> None:
    router.register("children", ChildViewSet, basename="child")
    router.register("groups", GroupViewSet, basename="group")
    router.register("enrolments", EnrolmentViewSet, basename="enrolment")
