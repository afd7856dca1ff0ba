from django.urls import path

from community_admin.staff.views import evaluations, pay, policies, secondments, workers

app_name = "staff"

urlpatterns = [
    path("workers/", workers.WorkerListView.as_view(), name="worker-list"),
    path("workers/new/", workers.WorkerCreateView.as_view(), name="worker-create"),
    path("workers/<int:pk>/", workers.WorkerDetailView.as_view(), name="worker-detail"),
    path("workers/<int:pk>/reveal/", workers.WorkerRevealView.as_view(), name="worker-reveal"),
    path("workers/<int:pk>/action/", workers.WorkerActionView.as_view(), name="worker-action"),
    path("staffing/", workers.StaffingView.as_view(), name="staffing"),
    path("secondments/", secondments.SecondmentListView.as_view(), name="secondment-list"),
    path("secondments/new/", secondments.SecondmentCreateView.as_view(), name="secondment-create"),
    path("secondments/<int:pk>/", secondments.SecondmentDetailView.as_view(), name="secondment-detail"),
    path("secondments/<int:pk>/step/", secondments.SecondmentStepView.as_view(), name="secondment-step"),
    path("secondment-opinions/<int:pk>/file/", secondments.OpinionFileView.as_view(), name="opinion-file"),
    path("payrolls/", pay.PayrollListView.as_view(), name="payroll-list"),
    path("payrolls/compute/", pay.PayrollComputeView.as_view(), name="payroll-compute"),
    path("payrolls/<int:pk>/", pay.PayrollDetailView.as_view(), name="payroll-detail"),
    path("payrolls/<int:pk>/export/", pay.PayrollExportView.as_view(), name="payroll-export"),
    path("evaluations/", evaluations.EvaluationView.as_view(), name="evaluation"),
    path("evaluations/score/", evaluations.EvaluationScoreView.as_view(), name="evaluation-score"),
    path("evaluations/round/", evaluations.EvaluationRoundView.as_view(), name="evaluation-round"),
    path(
        "accountability/<int:pk>/follow-up/",
        evaluations.AccountabilityFollowUpView.as_view(),
        name="accountability-follow-up",
    ),
    path("turnover/", workers.TurnoverView.as_view(), name="turnover"),
    path("policies/", policies.PolicyListView.as_view(), name="policy-list"),
]

# The yearly rules: the same six pages for the pay policy and for the retirement rules.
for kind, prefix in ((policies.PAY, "policies/pay/"), (policies.RETIREMENT, "policies/retirement/")):
    urlpatterns += [
        path(f"{prefix}new/", policies.VersionCreateView.as_view(kind=kind), name=f"{kind.slug}-create"),
        path(f"{prefix}<int:pk>/", policies.VersionDetailView.as_view(kind=kind), name=f"{kind.slug}-detail"),
        path(
            f"{prefix}<int:pk>/edit/", policies.VersionEditView.as_view(kind=kind), name=f"{kind.slug}-edit"
        ),
        path(
            f"{prefix}<int:pk>/adopt/",
            policies.VersionAdoptView.as_view(kind=kind),
            name=f"{kind.slug}-adopt",
        ),
        path(
            f"{prefix}<int:pk>/delete/",
            policies.VersionDeleteView.as_view(kind=kind),
            name=f"{kind.slug}-delete",
        ),
    ]
