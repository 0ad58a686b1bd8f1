"""API shell: the scoped viewset base every domain uses, token login, and the caller's own account."""

from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django_filters.filters import QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from rest_framework import mixins, serializers, viewsets
from rest_framework.authtoken.views import ObtainAuthToken

from mamnon.core import scoping
from mamnon.core.models import ScopedModel

# The largest number an integer column holds (PostgreSQL bigint, SQLite INTEGER). SQLite cannot even bind a
# larger Python int, and Django guards only plain integer columns against it, not foreign keys
# (``?school=10**21`` failed with OverflowError), so a filter refuses such numbers itself.
MAX_INTEGER = 2**63 - 1


def refuse_huge_numbers(params, names) -> None:
    """A 400 naming each of ``names`` whose value in ``params`` (or an item of a comma list) is a number
    out of the integer range: no identifier, count or amount of this application is that large."""
    errors = {}
    for name in names:
        for raw in params.getlist(name) if hasattr(params, "getlist") else [params.get(name)]:
            for item in str(raw or "").split(","):
                try:
                    number = Decimal(item.strip())
                except (InvalidOperation, ValueError):
                    continue
                if number.is_finite() and abs(number) > MAX_INTEGER:
                    errors[name] = [_("%(field)s: the number is too large.") % {"field": name}]
    if errors:
        raise serializers.ValidationError(errors)


# Detail routes keyed by a foreign key (a school by its unit, a staff record by its staff member): at most
# 18 digits, so the lookup never meets a number SQLite cannot bind; anything else is a 404 from the router.
FK_LOOKUP_REGEX = "[0-9]{1,18}"


class SchoolIdField(serializers.IntegerField):
    """The ``pk_field`` of a school field: a school's key is its unit's (a foreign key), so a number out of
    the integer range is refused as such (a 400 on the field) before the lookup, which SQLite cannot bind."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", MAX_INTEGER)
        kwargs.setdefault("min_value", -MAX_INTEGER)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        # A related field calls only this on its pk_field, not run_validation: check the range here.
        value = super().to_internal_value(data)
        self.run_validators(value)
        return value


class SingleObjectSchema(AutoSchema):
    """For a viewset whose ``list`` answers one object (a table, a summary), not an array of rows."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class ScopedFilterBackend(DjangoFilterBackend):
    """django-filter, with the choices of its foreign-key filters restricted to the caller's scope.

    The browsable API renders these choices (every unit's name) in its filter form; unrestricted, any
    user would read the whole organisation tree there.
    """

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        for flt in filterset.filters.values():
            if not isinstance(flt, QuerySetRequestMixin):
                continue
            choices = flt.get_queryset(request)
            if choices is not None and (
                issubclass(choices.model, ScopedModel) or choices.model is get_user_model()
            ):
                flt.queryset = scoping.restrict(choices, request.user)
        return filterset

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            refuse_huge_numbers(request.query_params, filterset_class.base_filters)
        return super().filter_queryset(request, queryset, view)


class ScopedViewSetMixin:
    """Restricts ``queryset`` to the caller's scope: view for reads, change for writes."""

    filter_backends = [ScopedFilterBackend]

    def get_queryset(self):
        action = scoping.VIEW if self.request.method in ("GET", "HEAD", "OPTIONS") else scoping.CHANGE
        return scoping.restrict(super().get_queryset(), self.request.user, action)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ObtainTokenView(ObtainAuthToken):
    """POST username (or mobile number) and password; returns a token for the Authorization header."""

    authentication_classes = []

    def post(self, request, *args, **kwargs):
        # ObtainAuthToken authenticates with the request, so django-axes counts failures here too.
        return super().post(request, *args, **kwargs)


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "username", "full_name", "phone", "email"]


class UserViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Accounts the caller manages, and the caller's own."""

    queryset = get_user_model().objects.order_by("username")
    serializer_class = UserSerializer
    filterset_fields = ["username"]


def register(router) -> None:
    router.register("users", UserViewSet, basename="user")
