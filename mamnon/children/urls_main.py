"""Pages of groups, children and enrolment (the app's namespace is ``children``)."""

from django.urls import path

from mamnon.children import views

urlpatterns = [
    path("", views.child_search, name="child-search"),
    path("new/", views.child_create, name="child-create"),
    path("<int:pk>/", views.child_detail, name="child-detail"),
    path("<int:pk>/edit/", views.child_edit, name="child-edit"),
    path("<int:pk>/guardians/new/", views.guardian_add, name="guardian-add"),
    path("guardians/<int:pk>/edit/", views.guardian_edit, name="guardian-edit"),
    path("<int:pk>/pickups/new/", views.pickup_add, name="pickup-add"),
    path("<int:pk>/admit/", views.child_admit, name="child-admit"),
    path("<int:pk>/move/", views.child_move, name="child-move"),
    path("<int:pk>/transfer/", views.child_transfer, name="child-transfer"),
    path("<int:pk>/leave/", views.child_leave, name="child-leave"),
    path("<int:pk>/finish/", views.child_finish, name="child-finish"),
    path("groups/", views.group_list, name="group-list"),
    path("groups/new/", views.group_create, name="group-create"),
    path("groups/<int:pk>/", views.group_detail, name="group-detail"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group-edit"),
    path("transfers/", views.transfer_list, name="transfer-list"),
    path("transfers/<int:pk>/accept/", views.transfer_accept, name="transfer-accept"),
    path("rollover/", views.rollover, name="rollover"),
    path("warnings/", views.rule_warnings, name="rule-warnings"),
    path("warnings/override/", views.rule_override, name="rule-override"),
]
