"""One API router; each domain app registers its viewsets in its own ``api.py``."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from mamnon.core import api as core_api
from mamnon.org import api as org_api

router = DefaultRouter()
for module in (core_api, org_api):
    module.register(router)

urlpatterns = [
    path("token/", core_api.ObtainTokenView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
