from rest_framework.routers import SimpleRouter

from community_admin.dashboards.api.views import CommitteeViewSet, StreetViewSet

router = SimpleRouter()
router.register("streets", StreetViewSet, basename="street")
router.register("committees", CommitteeViewSet, basename="committee")
