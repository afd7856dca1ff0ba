from django.urls import path

from community_admin.admission import views

app_name = "tasks"

urlpatterns = [
    path("items/", views.ItemListView.as_view(), name="item-list"),
    path("items/apply/", views.ItemApplyView.as_view(), name="item-apply"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item-detail"),
    path("items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item-edit"),
    path("items/<int:pk>/transition/", views.ItemTransitionView.as_view(), name="item-transition"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/", views.AssignmentDetailView.as_view(), name="assignment-detail"),
    path("inbox/<int:pk>/start/", views.AssignmentStartView.as_view(), name="assignment-start"),
    path("inbox/<int:pk>/complete/", views.AssignmentCompleteView.as_view(), name="assignment-complete"),
    path("inbox/<int:pk>/refuse/", views.AssignmentRefuseView.as_view(), name="assignment-refuse"),
    path(
        "inbox/<int:pk>/request-refusal/",
        views.AssignmentRequestRefusalView.as_view(),
        name="assignment-request-refusal",
    ),
    path(
        "inbox/<int:pk>/decide-refusal/",
        views.AssignmentDecideRefusalView.as_view(),
        name="assignment-decide-refusal",
    ),
    path("workload/", views.WorkloadView.as_view(), name="workload"),
]
