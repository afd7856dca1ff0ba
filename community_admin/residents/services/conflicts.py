"""One active person per ID number in the district: the check, the registrations held for the street when
the number is active in a committee the actor does not see (conflicts), and their resolution."""

import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from community_admin.accounts import scoping
from community_admin.core import audit, idnumbers
from community_admin.core.models import AuditLog
from community_admin.org.models import Committee
from community_admin.residents.models import Person, RegistrationConflict

ERR_DUPLICATE_HERE = "公民身份号码：该号码已登记在本社区（{name}）。"
ERR_DUPLICATE_ELSEWHERE = (
    "公民身份号码：该号码已在本区其他社区登记为在册人员，请由原社区办理迁出或转移后再登记。"
)
# To an account that does not see the committee holding the number: nothing says where, or that it is elsewhere.
ERR_DUPLICATE_HELD = "公民身份号码：该号码暂不能在本社区登记，已提交街道核实。"


ERR_CONFLICT_RESOLVED = "该登记冲突已处理。"
ERR_CONFLICT_RESOLUTION = "处理说明：必填。"


def _parse_id(raw: str, *, allow_legacy: bool = False) -> idnumbers.IdNumber:
    try:
        return idnumbers.parse(raw, allow_legacy=allow_legacy)
    except idnumbers.InvalidIdNumber as exc:
        raise ValidationError({"id_number": str(exc)}) from exc


class TakenElsewhere(Exception):
    """The number is active in another committee. Raised inside a service's transaction and answered outside
    it (`_answers_taken_numbers`), so that the conflict recorded for a hidden committee outlives the refusal."""

    def __init__(self, person: Person, *, committee: Committee, submitted_name: str):
        super().__init__(person.pk)
        self.person, self.committee, self.submitted_name = person, committee, submitted_name


def check_id_number_free(
    value: str, *, committee: Committee, submitted_name: str = "", exclude_pk: int | None = None
) -> None:
    """One active person per ID number in the whole district; the message never names another committee's person."""
    clash = Person.objects.filter(id_number=value, status__in=Person.ACTIVE_STATUSES).exclude(pk=exclude_pk)
    clash = clash.only("name", "committee_id").first()
    if clash is None:
        return
    if clash.committee_id == committee.pk:
        raise ValidationError({"id_number": ERR_DUPLICATE_HERE.format(name=clash.name)})
    raise TakenElsewhere(clash, committee=committee, submitted_name=submitted_name)


def _answers_taken_numbers(source: str):
    """A number active in another committee: "registered elsewhere" for an actor who sees that committee; for
    any other, a neutral refusal, and the attempt recorded (a conflict for the street, an audit row) in its own
    transaction once the service's own has rolled back."""

    def decorate(service):
        @functools.wraps(service)
        def wrapper(*, actor, **kwargs):
            try:
                return service(actor=actor, **kwargs)
            except TakenElsewhere as taken:
                if scoping.scope_by_committee(Person.objects.filter(pk=taken.person.pk), actor).exists():
                    raise ValidationError({"id_number": ERR_DUPLICATE_ELSEWHERE}) from None
                with transaction.atomic():
                    held = _conflicts_record(
                        actor=actor,
                        committee=taken.committee,
                        clashes=[(taken.person.pk, taken.person.committee_id, taken.submitted_name)],
                        source=source,
                    )
                    audit.record(
                        actor=actor,
                        action="person.register_held",
                        obj=taken.committee,
                        result=AuditLog.Result.DENIED,
                        details={"source": source, **held[0]},
                    )
                raise ValidationError({"id_number": ERR_DUPLICATE_HELD}) from None

        return wrapper

    return decorate


def _conflicts_record(
    *, actor, committee: Committee, clashes: list[tuple[int, int, str]], source: str
) -> list:
    """One open conflict per (registering committee, person): asking again adds no row. Returns, for the audit
    row, each clash's masked number and the code of the committee that holds it."""
    person_ids = [person_id for person_id, _, _ in clashes]
    already = set()
    for start in range(0, len(person_ids), 900):
        already.update(
            RegistrationConflict.objects.filter(
                committee=committee,
                status=RegistrationConflict.Status.OPEN,
                person_id__in=person_ids[start : start + 900],
            ).values_list("person_id", flat=True)
        )
    new = {
        person_id: (committee_id, name)
        for person_id, committee_id, name in clashes
        if person_id not in already
    }
    RegistrationConflict.objects.bulk_create(
        [
            RegistrationConflict(
                committee=committee,
                person_id=person_id,
                person_committee_id=committee_id,
                submitted_name=name[:50],
                source=source,
                requested_by=actor,
            )
            for person_id, (committee_id, name) in new.items()
        ],
        batch_size=2000,
        ignore_conflicts=True,  # a concurrent attempt opened the same conflict: it stands for this one too
    )
    numbers = {}
    for start in range(0, len(person_ids), 900):
        numbers.update(
            Person.objects.filter(pk__in=person_ids[start : start + 900]).values_list("pk", "id_number")
        )
    codes = dict(Committee.objects.filter(pk__in={c for _, c, _ in clashes}).values_list("pk", "code"))
    return [
        {"id_number": idnumbers.mask(numbers[person_id]), "registered_in": codes[committee_id]}
        for person_id, committee_id, _ in clashes
    ]


@transaction.atomic
def registration_conflict_resolve(
    *, actor, conflict: RegistrationConflict, resolution: str
) -> RegistrationConflict:
    """The street or the bureau closes a held registration, saying what was done (the person moved or
    transferred by the committee that holds them, the request withdrawn, …)."""
    conflict = RegistrationConflict.objects.select_for_update().select_related("person").get(pk=conflict.pk)
    if conflict.status != RegistrationConflict.Status.OPEN:
        raise ValidationError(ERR_CONFLICT_RESOLVED)
    resolution = resolution.strip()
    if not resolution:
        raise ValidationError({"resolution": ERR_CONFLICT_RESOLUTION})
    conflict.status = RegistrationConflict.Status.RESOLVED
    conflict.resolved_by = actor
    conflict.resolved_at = timezone.now()
    conflict.resolution = resolution
    conflict.full_clean(validate_constraints=False)
    conflict.save()
    audit.record(
        actor=actor,
        action="registration_conflict.resolve",
        obj=conflict,
        details={
            "id_number": conflict.person.id_number_masked,
            "committee": conflict.committee.code,
            "registered_in": conflict.person_committee.code,
            "resolution": resolution[:200],
        },
    )
    return conflict
