from rest_framework.routers import SimpleRouter

from community_admin.dashboards.api.views import CommitteeViewSet, StreetViewSet

router = SimpleRouter(use_regex_path=False)
router.register("streets", StreetViewSet, basename="street")
router.register("committees", CommitteeViewSet, basename="committee")
