from rest_framework.routers import SimpleRouter

from community_admin.community_services.api.views import (
    ActivityViewSet,
    BalanceViewSet,
    OrganisationViewSet,
    VisitViewSet,
    VolunteerViewSet,
)

router = SimpleRouter(use_regex_path=False)
router.register("visits", VisitViewSet, basename="visit")
router.register("activities", ActivityViewSet, basename="activity")
router.register("volunteers", VolunteerViewSet, basename="volunteer")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("service-balance", BalanceViewSet, basename="service-balance")
