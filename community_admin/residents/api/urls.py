from rest_framework.routers import SimpleRouter

from community_admin.residents.api.views import HouseholdViewSet, PersonViewSet

router = SimpleRouter(use_regex_path=False)
router.register("households", HouseholdViewSet, basename="household")
router.register("persons", PersonViewSet, basename="person")
