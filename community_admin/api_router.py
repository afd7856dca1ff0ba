"""The one API router: every app's viewsets are registered here under /api/v1/."""

from rest_framework.routers import DefaultRouter

from community_admin.dashboards.api.urls import router as dashboards_router
from community_admin.jobs.api.urls import router as jobs_router

router = DefaultRouter()
for app_router in (dashboards_router, jobs_router):
    router.registry.extend(app_router.registry)

urlpatterns = router.urls
