from rest_framework.routers import SimpleRouter

from community_admin.ledgers.api.views import BookViewSet, BurdenViewSet, EntryViewSet, PeriodViewSet

router = SimpleRouter(use_regex_path=False)
router.register("ledger-books", BookViewSet, basename="ledger-book")
router.register("ledger-entries", EntryViewSet, basename="ledger-entry")
router.register("ledger-periods", PeriodViewSet, basename="ledger-period")
router.register("ledger-burden", BurdenViewSet, basename="ledger-burden")
