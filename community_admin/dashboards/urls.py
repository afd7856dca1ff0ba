from django.urls import path

from community_admin.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("streets/<int:pk>/", views.StreetDetailView.as_view(), name="street-detail"),
    path("committees/<int:pk>/", views.CommitteeDetailView.as_view(), name="committee-detail"),
    path("committees/<int:pk>/edit/", views.CommitteeEditView.as_view(), name="committee-edit"),
    path("committees/<int:pk>/registry/", views.CommitteeRegistryView.as_view(), name="committee-registry"),
    path("norms/office-area/", views.OfficeNormsView.as_view(), name="office-norms"),
    path("dashboard/", views.DistrictDashboardPage.as_view(), name="district"),
    path("dashboard/streets/<int:pk>/", views.StreetDashboardPage.as_view(), name="street-dashboard"),
]
