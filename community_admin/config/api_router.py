"""The one API router: every app's viewsets are registered here under /api/v1/."""

from rest_framework import routers

from community_admin.admission.api.urls import router as tasks_router
from community_admin.certificates.api.urls import router as certificates_router
from community_admin.community_services.api.urls import router as services_router
from community_admin.dashboards.api.urls import router as dashboards_router
from community_admin.funding.api.urls import router as funding_router
from community_admin.jobs.api.urls import router as jobs_router
from community_admin.ledgers.api.urls import router as ledgers_router
from community_admin.residents.api.urls import router as residents_router
from community_admin.staff.api.urls import router as staff_router


class APIRootView(routers.APIRootView):
    required_permission = "org.view"


class Router(routers.DefaultRouter):
    include_format_suffixes = False
    APIRootView = APIRootView

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every object is looked up by its integer id: `/persons/abc/` is no route (404), not a query that
        # fails on a non-number (500). A viewset may still declare its own `lookup_value_converter`.
        self._default_value_pattern = "int"


router = Router(use_regex_path=False)
for app_router in (
    dashboards_router,
    residents_router,
    jobs_router,
    staff_router,
    tasks_router,
    certificates_router,
    funding_router,
    ledgers_router,
    services_router,
):
    router.registry.extend(app_router.registry)

urlpatterns = router.urls
