from django.urls import path
from rest_framework.routers import SimpleRouter

from community_admin.dashboards.api.views import (
    CommitteeViewSet,
    DistrictDashboardView,
    StreetDashboardView,
    StreetViewSet,
)

router = SimpleRouter(use_regex_path=False)
router.register("streets", StreetViewSet, basename="street")
router.register("committees", CommitteeViewSet, basename="committee")

urlpatterns = [
    path("dashboard/district/", DistrictDashboardView.as_view(), name="dashboard-district"),
    path("dashboard/streets/<int:pk>/", StreetDashboardView.as_view(), name="dashboard-street"),
]
