from django.urls import path

from community_admin.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.JobListView.as_view(), name="list"),
    path("start/<str:kind>/", views.JobStartView.as_view(), name="start"),
    path("<int:pk>/", views.JobDetailView.as_view(), name="detail"),
    path("<int:pk>/progress/", views.JobProgressView.as_view(), name="progress"),
    path("<int:pk>/download/", views.JobDownloadView.as_view(), name="download"),
    path("<int:pk>/retry/", views.JobRetryView.as_view(), name="retry"),
]
