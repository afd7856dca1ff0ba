"""Writes to the household registry. Every function names its actor, runs in one transaction and leaves an
audit row (and, for people, a history event). Nothing is deleted: people who leave keep their record.

One module per area: `households`, `persons` (registration, corrections, moves, reveals), `floating` (the
police station's outflow and residence permits of floating residents), `conflicts` (one
active person per ID number, and the registrations held for the street), `imports` (the bulk import) and
`exports`. The names are re-exported here, so callers keep `from community_admin.residents import services`
and `services.person_register(...)`, and tests import the error messages (`services.ERR_...`) from here.
A test that patches a function patches it in its area module, where it is looked up."""

from community_admin.residents.services.conflicts import (
    ERR_CONFLICT_RESOLUTION,
    ERR_CONFLICT_RESOLVED,
    ERR_DUPLICATE_ELSEWHERE,
    ERR_DUPLICATE_HELD,
    ERR_DUPLICATE_HERE,
    TakenElsewhere,
    check_id_number_free,
    registration_conflict_resolve,
)
from community_admin.residents.services.exports import (
    persons_export,
)
from community_admin.residents.services.floating import (
    ERR_NOT_FLOATING,
    ERR_PERMIT_ISSUED_BEFORE_BIRTH,
    ERR_PERMIT_ISSUED_FUTURE,
    ERR_PERMIT_NUMBER_FORMAT,
    ERR_PERMIT_NUMBER_REQUIRED,
    ERR_PERMIT_VALID_UNTIL,
    floating_move_out,
    residence_permit_update,
)
from community_admin.residents.services.households import (
    ERR_DEPARTMENT_FLOATING_HOUSEHOLD,
    ERR_HOUSEHOLD_NUMBER_TAKEN,
    ERR_UNKNOWN_FIELD,
    HOUSEHOLD_EDITABLE_FIELDS,
    household_create,
    household_update,
)
from community_admin.residents.services.imports import (
    AUDIT_HELD_LISTED,
    residents_import,
)
from community_admin.residents.services.persons import (
    ERR_DEPARTMENT_FLOATING_ONLY,
    ERR_DISABILITY_PAIR,
    ERR_EVENT_BEFORE_BIRTH,
    ERR_EVENT_DATE_FUTURE,
    ERR_FLOATING_PERMIT,
    ERR_NOT_ACTIVE,
    ERR_SAME_HOUSEHOLD,
    ERR_SENSITIVE_FIELD,
    ERR_STATUS_VIA_EVENTS,
    PERSON_EDITABLE_FIELDS,
    Revealed,
    person_move_out,
    person_record_death,
    person_register,
    person_reveal_id,
    person_transfer,
    person_update,
)

__all__ = [
    "ERR_DEPARTMENT_FLOATING_HOUSEHOLD",
    "ERR_HOUSEHOLD_NUMBER_TAKEN",
    "ERR_UNKNOWN_FIELD",
    "HOUSEHOLD_EDITABLE_FIELDS",
    "household_create",
    "household_update",
    "ERR_SENSITIVE_FIELD",
    "ERR_NOT_ACTIVE",
    "ERR_EVENT_DATE_FUTURE",
    "ERR_EVENT_BEFORE_BIRTH",
    "ERR_SAME_HOUSEHOLD",
    "ERR_DEPARTMENT_FLOATING_ONLY",
    "ERR_FLOATING_PERMIT",
    "ERR_DISABILITY_PAIR",
    "ERR_STATUS_VIA_EVENTS",
    "PERSON_EDITABLE_FIELDS",
    "person_register",
    "person_update",
    "person_move_out",
    "person_record_death",
    "person_transfer",
    "Revealed",
    "person_reveal_id",
    "ERR_DUPLICATE_HERE",
    "ERR_DUPLICATE_ELSEWHERE",
    "ERR_DUPLICATE_HELD",
    "ERR_CONFLICT_RESOLVED",
    "ERR_CONFLICT_RESOLUTION",
    "TakenElsewhere",
    "check_id_number_free",
    "registration_conflict_resolve",
    "ERR_NOT_FLOATING",
    "ERR_PERMIT_NUMBER_REQUIRED",
    "ERR_PERMIT_NUMBER_FORMAT",
    "ERR_PERMIT_ISSUED_FUTURE",
    "ERR_PERMIT_ISSUED_BEFORE_BIRTH",
    "ERR_PERMIT_VALID_UNTIL",
    "floating_move_out",
    "residence_permit_update",
    "AUDIT_HELD_LISTED",
    "residents_import",
    "persons_export",
]
