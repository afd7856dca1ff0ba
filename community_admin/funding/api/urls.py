from rest_framework.routers import SimpleRouter

from community_admin.funding.api import views

router = SimpleRouter(use_regex_path=False)
router.register("funding/policies", views.PolicyViewSet, basename="funding-policy")
router.register("funding/runs", views.AllocationRunViewSet, basename="funding-run")
router.register("funding/allocations", views.AllocationViewSet, basename="funding-allocation")
router.register("funding/disbursements", views.DisbursementViewSet, basename="funding-disbursement")
router.register("funding/expenditures", views.ExpenditureViewSet, basename="funding-expenditure")
router.register("funding/flags", views.FlagViewSet, basename="funding-flag")
