from django.urls import path

from community_admin.funding import views

app_name = "funding"

urlpatterns = [
    path("policies/", views.PolicyListView.as_view(), name="policy-list"),
    path("policies/new/", views.PolicyCreateView.as_view(), name="policy-create"),
    path("policies/<int:pk>/adopt/", views.PolicyAdoptView.as_view(), name="policy-adopt"),
    path("runs/", views.RunListView.as_view(), name="run-list"),
    path("runs/start/", views.RunStartView.as_view(), name="run-start"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run-detail"),
    path("runs/<int:pk>/close/", views.RunCloseView.as_view(), name="run-close"),
    path("runs/<int:pk>/send/", views.RunSendView.as_view(), name="run-send"),
    path("compare/", views.CompareView.as_view(), name="compare"),
    path("compare/export/", views.CompareExportView.as_view(), name="compare-export"),
    path("disbursements/", views.DisbursementListView.as_view(), name="disbursement-list"),
    path(
        "disbursements/<int:pk>/pass-on/", views.DisbursementPassOnView.as_view(), name="disbursement-pass-on"
    ),
    path(
        "disbursements/<int:pk>/confirm/",
        views.DisbursementConfirmView.as_view(),
        name="disbursement-confirm",
    ),
    path("expenditures/", views.ExpenditureListView.as_view(), name="expenditure-list"),
    path("expenditures/new/", views.ExpenditureCreateView.as_view(), name="expenditure-create"),
    path("expenditures/<int:pk>/receipt/", views.ReceiptView.as_view(), name="receipt"),
    path("audit/", views.AuditView.as_view(), name="audit"),
]
