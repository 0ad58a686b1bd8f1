"""API of programmes, registrations, evidence, scores, initiatives and the library: scoped like the pages
(core.scoping), writes through mamnon.reporting.programmes (all or nothing; a service's error is a 400 naming the
field, a refusal a 404). Evidence files are downloaded through ``/api/evidence/<id>/download/`` only."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from mamnon.children.api import InlineChoiceField
from mamnon.core import scoping
from mamnon.core.api import ScopedViewSetMixin
from mamnon.org.models import OrgLevel, OrgUnit, SchoolYear
from mamnon.reporting import programmes as svc
from mamnon.reporting.api import UnitChoicesMixin, _raise_400
from mamnon.reporting.models import (
    REPORT_ROLES,
    Criterion,
    Evidence,
    EvidenceKind,
    Initiative,
    Programme,
    ProgrammeKind,
    Registration,
    Score,
)


def _run(func, **kwargs):
    try:
        return func(**kwargs)
    except PermissionDenied:
        raise Http404 from None
    except DjangoValidationError as exc:
        _raise_400(exc)


class _Scoped(ScopedViewSetMixin):
    def get_queryset(self):
        user = self.request.user
        if not (scoping.is_admin(user) or scoping.roles_of(user) & set(REPORT_ROLES)):
            return self.queryset.none()
        return scoping.restrict(super(ScopedViewSetMixin, self).get_queryset(), user, scoping.VIEW)


# --- programmes -----------------------------------------------------------------------------------------


class CriterionSerializer(serializers.ModelSerializer):
    max_score = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False, required=False)

    class Meta:
        model = Criterion
        fields = ["id", "name", "max_score", "weight"]
        read_only_fields = ["id"]


class ProgrammeSerializer(UnitChoicesMixin, serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    school_year = serializers.SlugRelatedField(slug_field="code", queryset=SchoolYear.objects.all())
    target_level = serializers.SlugRelatedField(slug_field="code", queryset=OrgLevel.objects.all(), required=False,
                                                allow_null=True)
    kind = InlineChoiceField(choices=ProgrammeKind.choices, required=False)
    criteria = CriterionSerializer(many=True)
    maximum = serializers.SerializerMethodField(help_text="Σ maximum score × weight: the best total")

    class Meta:
        model = Programme
        fields = ["id", "unit", "unit_name", "school_year", "kind", "name", "description", "legal_basis",
                  "registration_deadline", "target_level", "active", "criteria", "maximum"]
        read_only_fields = ["id", "unit_name", "active", "maximum"]
        extra_kwargs = {"unit": {"queryset": OrgUnit.objects.none()}}


    def get_maximum(self, obj) -> float:
        return float(svc.programme_maximum(obj))


class ProgrammeViewSet(_Scoped, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    """Programmes run by the caller's offices or by the offices above the caller's units; officers create them."""

    queryset = (Programme.objects.select_related("unit", "school_year", "target_level").prefetch_related("criteria")
                .order_by("-school_year__start_date", "unit_id", "name"))
    serializer_class = ProgrammeSerializer
    filterset_fields = ["kind", "active"]

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        unit = OrgUnit.objects.select_related("level").get(pk=data.pop("unit").pk)
        criteria = [{k: str(v) for k, v in c.items()} for c in data.pop("criteria")]
        programme = _run(svc.programme_create, actor=request.user, unit=unit, criteria=criteria, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=programme.pk)).data,
                        status=status.HTTP_201_CREATED)


# --- registrations and scores -------------------------------------------------------------------------------


class ScoreSerializer(serializers.ModelSerializer):
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)
    score = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False)

    class Meta:
        model = Score
        fields = ["id", "registration", "criterion", "criterion_name", "score", "comment", "scored_at"]
        read_only_fields = fields


class RegistrationSerializer(UnitChoicesMixin, serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    total = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True,
                                     coerce_to_string=False, help_text="Σ score × weight (null: nothing scored)")
    scored = serializers.IntegerField(read_only=True, help_text="criteria scored")

    class Meta:
        model = Registration
        fields = ["id", "programme", "programme_name", "unit", "unit_name", "title", "description", "contact",
                  "registered_at", "total", "scored"]
        read_only_fields = ["id", "programme_name", "unit_name", "registered_at", "total", "scored"]
        extra_kwargs = {"programme": {"queryset": Programme.objects.none()},
                        "unit": {"queryset": OrgUnit.objects.none()}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "unit" in self.fields:
            self.fields["programme"].queryset = Programme.objects.for_user(request.user)


class RegistrationDetailSerializer(RegistrationSerializer):
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta(RegistrationSerializer.Meta):
        fields = [*RegistrationSerializer.Meta.fields, "scores"]


class RegistrationFilter(django_filters.FilterSet):
    programme = django_filters.NumberFilter(field_name="programme_id")
    unit = django_filters.NumberFilter(field_name="unit_id")

    class Meta:
        model = Registration
        fields = ["programme", "unit"]


_scores_in = inline_serializer("ScoresIn", {
    "scores": serializers.DictField(child=serializers.CharField(allow_blank=True),
                                    help_text="criterion id: score (empty: not scored)"),
    "comments": serializers.DictField(child=serializers.CharField(allow_blank=True), required=False),
})


class RegistrationViewSet(_Scoped, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet):
    """Registrations the caller sees (a school its own, an office its units'); a unit registers by the deadline;
    the office scores (``scores``)."""

    queryset = Registration.objects.select_related("unit", "programme").order_by("programme_id", "unit__name")
    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter

    def get_queryset(self):
        return svc.with_totals(super().get_queryset())

    def get_serializer_class(self):
        return RegistrationDetailSerializer if self.action in ("retrieve", "scores") else RegistrationSerializer

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        unit = OrgUnit.objects.select_related("level").get(pk=data.pop("unit").pk)
        registration = _run(svc.registration_create, actor=request.user, unit=unit, **data)
        return Response(RegistrationSerializer(self.get_queryset().get(pk=registration.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=_scores_in, responses=RegistrationDetailSerializer)
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        registration = self.get_object()
        _run(svc.scores_set, actor=request.user, registration=registration, scores=request.data.get("scores"),
             comments=request.data.get("comments") if isinstance(request.data.get("comments"), dict) else None)
        return Response(RegistrationDetailSerializer(self.get_queryset().get(pk=registration.pk)).data)


class ScoreViewSet(_Scoped, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Scores the caller sees (of the registrations she sees); written through ``registrations/<id>/scores/``."""

    queryset = Score.objects.select_related("criterion").order_by("registration_id", "criterion__order")
    serializer_class = ScoreSerializer
    filterset_fields = ["registration"]


# --- evidence -----------------------------------------------------------------------------------------------


class EvidenceSerializer(serializers.ModelSerializer):
    kind = InlineChoiceField(choices=EvidenceKind.choices, read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "registration", "kind", "original_name", "content_type", "size", "caption", "uploaded_at",
                  "download"]
        read_only_fields = fields

    def get_download(self, obj) -> str:
        return f"/api/evidence/{obj.pk}/download/"


_upload_in = inline_serializer("EvidenceUpload", {
    "registration": serializers.IntegerField(),
    "files": serializers.ListField(child=serializers.FileField()),
    "caption": serializers.CharField(required=False, allow_blank=True),
})


class EvidenceViewSet(_Scoped, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                      viewsets.GenericViewSet):
    """Evidence of the registrations the caller sees. POST multipart ``registration``, ``files`` (several),
    ``caption``: every file checked (type, size, content) and all stored, or none (400 naming each bad file)."""

    queryset = Evidence.objects.order_by("registration_id", "uploaded_at", "id")
    serializer_class = EvidenceSerializer
    filterset_fields = ["registration", "kind"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request={"multipart/form-data": _upload_in}, responses={201: EvidenceSerializer(many=True)})
    def create(self, request, *args, **kwargs):
        raw = str(request.data.get("registration", ""))
        if not raw.isdigit():
            raise serializers.ValidationError({"registration": ["Required: the registration's id."]})
        registration = scoping.get_or_404(Registration.objects.all(), request.user, pk=int(raw))
        made = _run(svc.evidence_add, actor=request.user, registration=registration,
                    files=request.FILES.getlist("files"), caption=str(request.data.get("caption", "")))
        return Response(EvidenceSerializer(made, many=True).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        _run(svc.evidence_delete, actor=request.user, evidence=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None, **kwargs):
        from mamnon.reporting.views_programmes import _serve

        evidence = self.get_object()
        return _serve(evidence, evidence.original_name, evidence.content_type,
                      evidence.file.name.rsplit(".", 1)[-1].lower())


# --- initiatives and the library ------------------------------------------------------------------------------


class InitiativeSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    library_unit_name = serializers.CharField(source="library_unit.name", read_only=True, allow_null=True)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = Initiative
        fields = ["id", "unit", "unit_name", "programme", "title", "summary", "authors", "original_name",
                  "submitted_at", "library_unit", "library_unit_name", "selected_at", "has_file"]
        read_only_fields = fields

    def get_has_file(self, obj) -> bool:
        return bool(obj.file)


_initiative_in = inline_serializer("InitiativeIn", {
    "unit": serializers.IntegerField(), "title": serializers.CharField(), "summary": serializers.CharField(),
    "authors": serializers.CharField(required=False, allow_blank=True),
    "programme": serializers.IntegerField(required=False, allow_null=True),
    "file": serializers.FileField(required=False),
})
_library_in = inline_serializer("LibraryChoice", {
    "library_unit": serializers.IntegerField(allow_null=True, help_text="an office at or above the unit; null: out")})


class InitiativeViewSet(_Scoped, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Initiatives written in the caller's units (and, for officers, the units below); ``library`` puts one into
    an office's library (null: takes it out)."""

    queryset = Initiative.objects.select_related("unit", "library_unit").order_by("-submitted_at", "-id")
    serializer_class = InitiativeSerializer
    filterset_fields = ["unit", "programme", "library_unit"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        from mamnon.reporting.views_programmes import _own_subtree_q

        return super().get_queryset().filter(_own_subtree_q(self.request.user))

    @extend_schema(request={"multipart/form-data": _initiative_in, "application/json": _initiative_in},
                   responses={201: InitiativeSerializer})
    def create(self, request, *args, **kwargs):
        data = request.data
        raw_unit, raw_programme = str(data.get("unit", "")), str(data.get("programme", "") or "")
        if not raw_unit.isdigit():
            raise serializers.ValidationError({"unit": ["Required: the unit's id."]})
        unit = scoping.get_or_404(OrgUnit.objects.select_related("level"), request.user, pk=int(raw_unit))
        programme = None
        if raw_programme:
            if not raw_programme.isdigit():
                raise serializers.ValidationError({"programme": ["A programme's id."]})
            programme = scoping.get_or_404(Programme.objects.select_related("unit"), request.user,
                                           pk=int(raw_programme))
        initiative = _run(svc.initiative_submit, actor=request.user, unit=unit, title=str(data.get("title", "")),
                          summary=str(data.get("summary", "")), authors=str(data.get("authors", "")),
                          programme=programme, file=request.FILES.get("file"))
        return Response(InitiativeSerializer(initiative).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=_library_in, responses=InitiativeSerializer)
    @action(detail=True, methods=["post"])
    def library(self, request, pk=None):
        initiative = self.get_object()
        raw = request.data.get("library_unit")
        office = None
        if raw not in (None, ""):
            office = next((o for o in svc.library_offices(request.user, initiative) if str(o.pk) == str(raw)), None)
            if office is None:
                raise Http404
        initiative = _run(svc.initiative_select, actor=request.user, initiative=initiative, library_unit=office)
        return Response(InitiativeSerializer(initiative).data)


class LibraryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The shared library: initiatives selected by the offices at or above the caller's units (officers and school
    staff read it; nobody outside the office's subtree). ``q`` searches title, summary, authors and unit."""

    queryset = Initiative.objects.none()
    serializer_class = InitiativeSerializer

    def get_queryset(self):
        from mamnon.reporting.views_programmes import LIBRARY_ROLES

        user = self.request.user
        if not (scoping.is_admin(user) or scoping.roles_of(user) & set(LIBRARY_ROLES)):
            return Initiative.objects.none()
        return svc.library(user, self.request.query_params.get("q", "")[:200])

    @extend_schema(parameters=[OpenApiParameter("q", str, required=False, description="words to search")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None, **kwargs):
        from mamnon.reporting.views_programmes import _serve

        initiative = self.get_object()
        if not initiative.file:
            raise Http404
        return _serve(initiative, initiative.original_name, initiative.content_type,
                      initiative.file.name.rsplit(".", 1)[-1].lower())


def register(router) -> None:
    router.register("programmes", ProgrammeViewSet, basename="programme")
    router.register("programme-registrations", RegistrationViewSet, basename="programme-registration")
    router.register("programme-scores", ScoreViewSet, basename="programme-score")
    router.register("evidence", EvidenceViewSet, basename="evidence")
    router.register("initiatives", InitiativeViewSet, basename="initiative")
    router.register("library", LibraryViewSet, basename="library")
