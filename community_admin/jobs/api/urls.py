from rest_framework.routers import SimpleRouter

from community_admin.jobs.api.views import JobViewSet

router = SimpleRouter()
router.register("jobs", JobViewSet, basename="job")
