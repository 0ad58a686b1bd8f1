"""One API router; each domain app registers its viewsets in its own ``api.py``."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from mamnon.attendance import api as attendance_api
from mamnon.attendance import api_handover
from mamnon.children import api as children_api
from mamnon.core import api as core_api
from mamnon.facilities import api as facilities_api
from mamnon.fees import api as fees_api
from mamnon.health import api as health_api
from mamnon.indicators import api as indicators_api
from mamnon.kitchen import api as kitchen_api
from mamnon.org import api as org_api
from mamnon.reporting import api as reporting_api
from mamnon.staff import api as staff_api

router = DefaultRouter()
for module in (
    core_api,
    org_api,
    children_api,
    attendance_api,
    api_handover,
    health_api,
    staff_api,
    facilities_api,
    kitchen_api,
    fees_api,
    indicators_api,
    reporting_api,
):
    module.register(router)

urlpatterns = [
    path("token/", core_api.ObtainTokenView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
