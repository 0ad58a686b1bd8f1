"""Excel rosters: the template, the import (upload, preview, confirm) and the exports."""

from django.urls import path

from mamnon.children import views_roster as views

urlpatterns = [
    path("roster/", views.roster_home, name="roster-home"),
    path("roster/template.xlsx", views.roster_template, name="roster-template"),
    path("roster/import/", views.roster_import, name="roster-import"),
    path("roster/import/preview/", views.roster_preview, name="roster-preview"),
    path("roster/import/confirm/", views.roster_confirm, name="roster-confirm"),
    path("roster/groups/<int:pk>.xlsx", views.roster_export_group, name="roster-export-group"),
    path("roster/schools/<int:pk>.xlsx", views.roster_export_school, name="roster-export-school"),
]
