"""The household and the resident a services page is about, found in the caller's scope."""

from django.core.exceptions import ValidationError

from community_admin.accounts import scoping
from community_admin.core import idnumbers
from community_admin.residents import selectors as residents_selectors
from community_admin.residents.models import Household, Person

ERR_PERSON_NOT_FOUND = "居民公民身份号码：本社区在册人员中没有这个号码。"


def household_or_404(request, pk) -> Household:
    return scoping.get_in_scope_or_404(residents_selectors.household_list(request.user), request.user, pk=pk)


def person_by_id(request, committee_id: int, raw: str) -> Person:
    person = (
        residents_selectors.person_list(request.user)
        .filter(
            committee_id=committee_id, id_number=idnumbers.normalise(raw), status__in=Person.ACTIVE_STATUSES
        )
        .first()
    )
    if person is None:
        raise ValidationError({"id_number": ERR_PERSON_NOT_FOUND})
    return person
