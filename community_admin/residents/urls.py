from django.urls import path

from community_admin.residents import views

app_name = "residents"

urlpatterns = [
    path("persons/", views.PersonListView.as_view(), name="person-list"),
    path("persons/export/", views.PersonExportView.as_view(), name="person-export"),
    path("persons/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("persons/<int:pk>/edit/", views.PersonEditView.as_view(), name="person-edit"),
    path("persons/<int:pk>/reveal-id/", views.PersonRevealView.as_view(), name="person-reveal"),
    path(
        "persons/<int:pk>/move-out/", views.PersonEventView.as_view(kind="move_out"), name="person-move-out"
    ),
    path("persons/<int:pk>/death/", views.PersonEventView.as_view(kind="death"), name="person-death"),
    path(
        "persons/<int:pk>/transfer/", views.PersonEventView.as_view(kind="transfer"), name="person-transfer"
    ),
    path(
        "persons/<int:pk>/floating-move-out/",
        views.FloatingMoveOutView.as_view(),
        name="person-floating-move-out",
    ),
    path(
        "persons/<int:pk>/residence-permit/",
        views.ResidencePermitView.as_view(),
        name="person-residence-permit",
    ),
    path("households/new/", views.HouseholdCreateView.as_view(), name="household-create"),
    path("households/<int:pk>/", views.HouseholdDetailView.as_view(), name="household-detail"),
    path("households/<int:pk>/register/", views.PersonRegisterView.as_view(), name="person-register"),
    path("conflicts/", views.ConflictListView.as_view(), name="conflict-list"),
    path("conflicts/<int:pk>/resolve/", views.ConflictResolveView.as_view(), name="conflict-resolve"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/template/", views.ImportTemplateView.as_view(), name="import-template"),
]
