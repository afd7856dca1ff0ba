"""The administrative load of certificates, for the services' balance (core/workload.py): every certificate
issued and every request turned away takes a committee worker's time."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from community_admin.core import workload

from .models import Certificate, Refusal

HOURS_PER_CERTIFICATE = Decimal("0.5")  # check the evidence, fill in, seal, log
HOURS_PER_REFUSAL = Decimal("0.25")  # explain, write the referral slip


def _per_committee(queryset, date_field: str, committee_ids: list[int], start, end) -> dict[int, int]:
    return workload.per_committee(
        queryset.filter(committee_id__in=committee_ids, **{f"{date_field}__range": (start, end)})
    )


def certificates_issued(committee_ids: list[int], start, end) -> dict[int, int]:
    return _per_committee(Certificate.objects, "issued_on", committee_ids, start, end)


def requests_refused(committee_ids: list[int], start, end) -> dict[int, int]:
    return _per_committee(Refusal.objects, "refused_on", committee_ids, start, end)


workload.register(
    workload.LoadCounter(
        name="certificates.issued",
        label=_("出具证明"),
        count=certificates_issued,
        hours_each=HOURS_PER_CERTIFICATE,
    )
)
workload.register(
    workload.LoadCounter(
        name="certificates.refused",
        label=_("拒开证明"),
        count=requests_refused,
        hours_each=HOURS_PER_REFUSAL,
    )
)
