"""The parent portal, under /portal/ (namespace ``portal``)."""

from django.urls import path

from mamnon.attendance import views_portal as views

urlpatterns = [
    path("", views.home, name="home"),
    path("children/<int:pk>/", views.child, name="child"),
    path("children/<int:pk>/absence/", views.absence_create, name="absence-create"),
    path("handovers/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("pin/", views.pin, name="pin"),
]
