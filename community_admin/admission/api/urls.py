from rest_framework.routers import SimpleRouter

from community_admin.admission.api.views import ServiceItemViewSet, TaskViewSet

router = SimpleRouter(use_regex_path=False)
router.register("tasks", TaskViewSet, basename="task")
router.register("service-items", ServiceItemViewSet, basename="service-item")
