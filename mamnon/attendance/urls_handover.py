"""Handover book (đón - trả trẻ) and incidents, under /day/ (namespace ``attendance``)."""

from django.urls import path

from mamnon.attendance import views_handover as views

urlpatterns = [
    path("handover/", views.handover_groups, name="handover-groups"),
    path("handover/<int:pk>/", views.handover_day, name="handover-day"),
    path("handover/<int:pk>/book/", views.handover_book, name="handover-book"),
    path("handover/guardians/<int:pk>/pin/", views.guardian_pin, name="guardian-pin"),
    path("incidents/", views.incident_list, name="incident-list"),
    path("incidents/new/", views.incident_create, name="incident-create"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident-detail"),
    path("incidents/<int:pk>/edit/", views.incident_edit, name="incident-edit"),
]
