from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("mamnon.core.urls")),
    path("org/", include("mamnon.org.urls")),
    path("children/", include("mamnon.children.urls")),
    path("day/", include("mamnon.attendance.urls")),
    path("portal/", include("mamnon.attendance.portal_urls")),
    path("health/", include("mamnon.health.urls")),
    path("staff/", include("mamnon.staff.urls")),
    path("facilities/", include("mamnon.facilities.urls")),
    path("kitchen/", include("mamnon.kitchen.urls")),
    path("fees/", include("mamnon.fees.urls")),
    path("indicators/", include("mamnon.indicators.urls")),
    path("reporting/", include("mamnon.reporting.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("mamnon.config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
