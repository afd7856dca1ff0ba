from django.urls import path

from community_admin.staff import views

app_name = "staff"

urlpatterns = [
    path("workers/", views.WorkerListView.as_view(), name="worker-list"),
    path("workers/new/", views.WorkerCreateView.as_view(), name="worker-create"),
    path("workers/<int:pk>/", views.WorkerDetailView.as_view(), name="worker-detail"),
    path("workers/<int:pk>/reveal/", views.WorkerRevealView.as_view(), name="worker-reveal"),
    path("workers/<int:pk>/action/", views.WorkerActionView.as_view(), name="worker-action"),
    path("staffing/", views.StaffingView.as_view(), name="staffing"),
    path("secondments/", views.SecondmentListView.as_view(), name="secondment-list"),
    path("secondments/new/", views.SecondmentCreateView.as_view(), name="secondment-create"),
    path("secondments/<int:pk>/", views.SecondmentDetailView.as_view(), name="secondment-detail"),
    path("secondments/<int:pk>/step/", views.SecondmentStepView.as_view(), name="secondment-step"),
    path("secondment-opinions/<int:pk>/file/", views.OpinionFileView.as_view(), name="opinion-file"),
    path("payrolls/", views.PayrollListView.as_view(), name="payroll-list"),
    path("payrolls/compute/", views.PayrollComputeView.as_view(), name="payroll-compute"),
    path("payrolls/<int:pk>/", views.PayrollDetailView.as_view(), name="payroll-detail"),
    path("payrolls/<int:pk>/export/", views.PayrollExportView.as_view(), name="payroll-export"),
    path("evaluations/", views.EvaluationView.as_view(), name="evaluation"),
    path("evaluations/score/", views.EvaluationScoreView.as_view(), name="evaluation-score"),
    path("evaluations/round/", views.EvaluationRoundView.as_view(), name="evaluation-round"),
    path(
        "accountability/<int:pk>/follow-up/",
        views.AccountabilityFollowUpView.as_view(),
        name="accountability-follow-up",
    ),
    path("turnover/", views.TurnoverView.as_view(), name="turnover"),
]
