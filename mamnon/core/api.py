"""API shell: the scoped viewset base every domain uses, token login, and the caller's own account."""

from django.contrib.auth import get_user_model
from rest_framework import mixins, serializers, viewsets
from rest_framework.authtoken.views import ObtainAuthToken

from mamnon.core import scoping


class ScopedViewSetMixin:
    """Restricts ``queryset`` to the caller's scope: view for reads, change for writes."""

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
