from rest_framework.routers import SimpleRouter

from community_admin.staff.api import views

router = SimpleRouter(use_regex_path=False)
router.register("staff/workers", views.WorkerViewSet, basename="staff-worker")
router.register("staff/staffing", views.StaffingViewSet, basename="staff-staffing")
router.register("staff/secondments", views.SecondmentViewSet, basename="staff-secondment")
router.register("staff/payrolls", views.PayrollViewSet, basename="staff-payroll")
router.register("staff/evaluations", views.EvaluationViewSet, basename="staff-evaluation")
router.register("staff/turnover", views.TurnoverViewSet, basename="staff-turnover")
router.register("staff/retirement", views.RetirementViewSet, basename="staff-retirement")
router.register("staff/pay-policies", views.PayPolicyViewSet, basename="staff-pay-policy")
router.register(
    "staff/retirement-rule-sets", views.RetirementRuleSetViewSet, basename="staff-retirement-rule-set"
)
