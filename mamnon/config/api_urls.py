"""One API router; each domain app registers its viewsets in its own ``api.py``."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from mamnon.attendance import api as attendance_api
from mamnon.attendance import api_handover
from mamnon.children import api as children_api
from mamnon.core import api as core_api
from mamnon.org import api as org_api

router = DefaultRouter()
for module in (core_api, org_api, children_api, attendance_api, api_handover):
    module.register(router)

urlpatterns = [
    path("token/", core_api.ObtainTokenView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
