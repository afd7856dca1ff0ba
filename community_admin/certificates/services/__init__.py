"""Writes of the certificates app: the whitelist (bureau), issuing and refusing (committee staff), voiding,
verification lookups. Every function names its actor, runs in one transaction and leaves an audit row.

One module per area: `whitelist` (certificate types), `issuing` (issuing and refusing), `issued` (voiding,
printing, opening the evidence) and `verification`. The names are re-exported here, so callers keep
`from community_admin.certificates import services` and `services.certificate_issue(...)`, and tests import
the error messages (`services.ERR_...`) from here. A test that patches a function patches it in its area
module, where it is looked up."""

from community_admin.certificates.services.issued import (
    ERR_ALREADY_VOIDED,
    ERR_VOID_REASON,
    certificate_print,
    certificate_void,
    refusal_slip_print,
)
from community_admin.certificates.services.issuing import (
    ERR_EVIDENCE_EMPTY,
    ERR_EVIDENCE_MISSING,
    ERR_EVIDENCE_NOT_NEEDED,
    ERR_EVIDENCE_SIZE,
    ERR_EVIDENCE_TYPE,
    ERR_EVIDENCE_UNKNOWN,
    ERR_ISSUER_NOT_COMMITTEE,
    ERR_PERSON_NOT_ACTIVE,
    ERR_PERSON_NOT_OURS,
    ERR_TYPE_INACTIVE,
    SEAL_NAME,
    SERIAL_FORMAT,
    VERIFICATION_ALPHABET,
    VERIFICATION_CODE_LENGTH,
    IssueResult,
    certificate_issue,
    new_verification_code,
)
from community_admin.certificates.services.verification import (
    Verification,
    certificate_verify,
)
from community_admin.certificates.services.whitelist import (
    EDITABLE_TYPE_FIELDS,
    ERR_ALREADY_ADOPTED,
    ERR_EVIDENCE_LIST_FORMAT,
    ERR_EVIDENCE_LIST_REQUIRED,
    ERR_PROHIBITION_UNRELATED,
    ERR_REFER_TO_REQUIRED,
    ERR_TEMPLATE_FIELD,
    ERR_TEMPLATE_REQUIRED,
    ERR_TEMPLATE_SYNTAX,
    ERR_TYPE_FIELD,
    certificate_type_adopt_national_rule,
    certificate_type_update,
)

__all__ = [
    "ERR_TYPE_FIELD",
    "ERR_REFER_TO_REQUIRED",
    "ERR_EVIDENCE_LIST_REQUIRED",
    "ERR_EVIDENCE_LIST_FORMAT",
    "ERR_TEMPLATE_REQUIRED",
    "ERR_TEMPLATE_FIELD",
    "ERR_TEMPLATE_SYNTAX",
    "ERR_PROHIBITION_UNRELATED",
    "ERR_ALREADY_ADOPTED",
    "EDITABLE_TYPE_FIELDS",
    "certificate_type_update",
    "certificate_type_adopt_national_rule",
    "ERR_ISSUER_NOT_COMMITTEE",
    "ERR_PERSON_NOT_OURS",
    "ERR_PERSON_NOT_ACTIVE",
    "ERR_TYPE_INACTIVE",
    "ERR_EVIDENCE_NOT_NEEDED",
    "ERR_EVIDENCE_MISSING",
    "ERR_EVIDENCE_UNKNOWN",
    "ERR_EVIDENCE_TYPE",
    "ERR_EVIDENCE_SIZE",
    "ERR_EVIDENCE_EMPTY",
    "SEAL_NAME",
    "SERIAL_FORMAT",
    "VERIFICATION_CODE_LENGTH",
    "VERIFICATION_ALPHABET",
    "IssueResult",
    "new_verification_code",
    "certificate_issue",
    "ERR_VOID_REASON",
    "ERR_ALREADY_VOIDED",
    "certificate_void",
    "certificate_print",
    "refusal_slip_print",
    "Verification",
    "certificate_verify",
]
