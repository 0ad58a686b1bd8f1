"""API shell: the scoped viewset base every domain uses, token login, and the caller's own account."""

from django.contrib.auth import get_user_model
from django_filters.filters import QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, serializers, viewsets
from rest_framework.authtoken.views import ObtainAuthToken

from mamnon.core import scoping
from mamnon.core.models import ScopedModel


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
