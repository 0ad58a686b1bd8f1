from django.urls import path

from mamnon.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.home, name="home"),
]
