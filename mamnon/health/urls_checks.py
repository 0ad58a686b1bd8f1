"""Pages of growth charts (views_charts) and health checks, illnesses and medicine (views_checks)."""

from django.urls import path

from mamnon.health import views_charts, views_checks

urlpatterns = [
    path("children/<int:pk>/chart/", views_charts.child_chart, name="child-chart"),
    path("children/<int:pk>/history/", views_checks.child_health, name="child-health"),
    path("children/<int:pk>/checks/new/", views_checks.check_create, name="check-create"),
    path("children/<int:pk>/illnesses/new/", views_checks.illness_create, name="illness-create"),
    path("children/<int:pk>/medicine/new/", views_checks.medicine_create, name="medicine-create"),
    path("checks/", views_checks.checks_home, name="check-home"),
    path("checks/groups/<int:pk>/", views_checks.group_checks, name="check-group"),
    path("checks/groups/<int:pk>/new/", views_checks.group_check_entry, name="check-group-entry"),
]
