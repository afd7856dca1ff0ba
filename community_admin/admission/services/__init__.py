"""Writes of the tasks capability, in one module per area: `procedure` (the admission list and its
procedure: 申请 → 审批 → 准入 → 撤销), `submission` (tasks submitted by departments, admitted or refused, and the
money that follows an admitted task), `idempotency` (submissions retried safely under an Idempotency-Key),
`assignments` (the committees' work on them) and `calendar` (working days).

The names are re-exported here, so callers keep `from community_admin.admission import services` and
`services.task_submit(...)`, and tests import the error messages (`services.ERR_...`) from here.
A test that patches a function patches it in its area module, where it is looked up."""

from community_admin.admission.services.assignments import (
    ERR_ASSIGNMENT_TRANSITION,
    ERR_REFUSAL_REQUIRED,
    ERR_REPORT_REQUIRED,
    task_assignment_complete,
    task_assignment_refuse,
    task_assignment_start,
)
from community_admin.admission.services.calendar import (
    APPLY_LEAD_WORKING_DAYS,
    DECISION_WORKING_DAYS,
    add_working_days,
)
from community_admin.admission.services.idempotency import (
    ERR_IDEMPOTENCY_CONFLICT,
    IDEMPOTENCY_ATTEMPTS,
    IDEMPOTENCY_BACKOFF_SECONDS,
    IdempotencyConflict,
    SubmitOutcome,
    task_submit_idempotent,
)
from community_admin.admission.services.procedure import (
    ERR_ITEM_NOTE_REQUIRED,
    ERR_ITEM_OTHER_DEPARTMENT,
    ERR_ITEM_TOO_LATE,
    ERR_ITEM_TRANSITION,
    ERR_ITEM_UNKNOWN_ACTION,
    ERR_ITEM_UNKNOWN_FIELD,
    ITEM_EDITABLE_FIELDS,
    ITEM_TRANSITIONS,
    service_item_apply,
    service_item_transition,
    service_item_update,
)
from community_admin.admission.services.submission import (
    CENT,
    ERR_TASK_DUE_PAST,
    ERR_TASK_NOT_DEPARTMENT,
    ERR_TASK_STREET_EMPTY,
    ERR_TASK_TARGET_BOTH,
    ERR_TASK_TARGET_REQUIRED,
    ERR_TASK_UNKNOWN_COMMITTEES,
    ERR_TASK_UNKNOWN_STREET,
    REFUSE_EXCLUDED,
    REFUSE_NOT_ADMITTED,
    REFUSE_NOT_EFFECTIVE,
    REFUSE_NOT_LISTED,
    REFUSE_UNDERFUNDED,
    Admission,
    admission_decide,
    split_funding,
    task_submit,
)

__all__ = [
    "APPLY_LEAD_WORKING_DAYS",
    "DECISION_WORKING_DAYS",
    "add_working_days",
    "ERR_ITEM_TOO_LATE",
    "ERR_ITEM_OTHER_DEPARTMENT",
    "ERR_ITEM_TRANSITION",
    "ERR_ITEM_UNKNOWN_ACTION",
    "ERR_ITEM_NOTE_REQUIRED",
    "ERR_ITEM_UNKNOWN_FIELD",
    "ITEM_EDITABLE_FIELDS",
    "ITEM_TRANSITIONS",
    "service_item_apply",
    "service_item_transition",
    "service_item_update",
    "ERR_TASK_NOT_DEPARTMENT",
    "ERR_TASK_TARGET_REQUIRED",
    "ERR_TASK_TARGET_BOTH",
    "ERR_TASK_UNKNOWN_COMMITTEES",
    "ERR_TASK_UNKNOWN_STREET",
    "ERR_TASK_STREET_EMPTY",
    "ERR_TASK_DUE_PAST",
    "REFUSE_NOT_LISTED",
    "REFUSE_EXCLUDED",
    "REFUSE_NOT_ADMITTED",
    "REFUSE_NOT_EFFECTIVE",
    "REFUSE_UNDERFUNDED",
    "CENT",
    "Admission",
    "admission_decide",
    "split_funding",
    "task_submit",
    "ERR_IDEMPOTENCY_CONFLICT",
    "IdempotencyConflict",
    "SubmitOutcome",
    "IDEMPOTENCY_ATTEMPTS",
    "IDEMPOTENCY_BACKOFF_SECONDS",
    "task_submit_idempotent",
    "ERR_ASSIGNMENT_TRANSITION",
    "ERR_REPORT_REQUIRED",
    "ERR_REFUSAL_REQUIRED",
    "task_assignment_start",
    "task_assignment_complete",
    "task_assignment_refuse",
]
