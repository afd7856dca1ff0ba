from rest_framework.routers import SimpleRouter

from community_admin.certificates.api.views import (
    CertificateTypeViewSet,
    CertificateViewSet,
    RefusalViewSet,
    StatisticsViewSet,
)

router = SimpleRouter(use_regex_path=False)
router.register("certificate-types", CertificateTypeViewSet, basename="certificate-type")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("certificate-refusals", RefusalViewSet, basename="certificate-refusal")
router.register("certificate-statistics", StatisticsViewSet, basename="certificate-statistics")
