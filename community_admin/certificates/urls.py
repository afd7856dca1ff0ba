from django.urls import path

from community_admin.certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.CertificateListView.as_view(), name="list"),
    path("issue/", views.IssueView.as_view(), name="issue"),
    path("<int:pk>/", views.CertificateDetailView.as_view(), name="detail"),
    path("<int:pk>/pdf/", views.CertificatePdfView.as_view(), name="pdf"),
    path("<int:pk>/void/", views.CertificateVoidView.as_view(), name="void"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence"),
    path("refusals/", views.RefusalListView.as_view(), name="refusal-list"),
    path("refusals/<int:pk>/", views.RefusalDetailView.as_view(), name="refusal-detail"),
    path("refusals/<int:pk>/slip/", views.ReferralSlipView.as_view(), name="refusal-slip"),
    path("seal-log/", views.SealLogView.as_view(), name="seal-log"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("types/", views.WhitelistView.as_view(), name="type-list"),
    path("types/<int:pk>/edit/", views.CertificateTypeEditView.as_view(), name="type-edit"),
    path("types/<int:pk>/adopt/", views.CertificateTypeAdoptView.as_view(), name="type-adopt"),
]
