"""Secondments, step by step: request, both sides' written opinions, the district's approval, filing with
the HR and civil-affairs bureaus, start and end, or rejection at any open step."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from community_admin.core import audit, uploads
from community_admin.org.models import Department, Street
from community_admin.staff.models import Post, Secondment, SecondmentOpinion, Worker

ERR_NOT_SOCIAL_WORKER = "只有社工可以借调。"
ERR_WORKER_NOT_ACTIVE = "该工作者不在岗，不能借调。"
ERR_OPEN_SECONDMENT = "该工作者已有未结束的借调。"
ERR_ONE_HOST = "请选择借调至的街道或部门（二者选一）。"
ERR_STEP = "借调须逐步办理：当前环节为“{state}”，不能{action}。"
ERR_OPINION_EXISTS = "该方书面意见已登记。"
ERR_OPINION_EMPTY = "请填写意见内容或上传书面意见扫描件。"
ERR_FILE_TYPE = "只接受 PDF、JPEG 或 PNG 文件。"
ERR_FILE_SIZE = "文件不能超过 {limit} MB。"
ERR_APPROVAL_DOCUMENT = "请填写区政府批准文号。"
ERR_ALREADY_FILED = "已向该单位备案。"
ERR_UNKNOWN_REGISTRY = "备案单位只能是区人社局或区民政局。"
ERR_REFERENCE = "请填写备案号。"
ERR_START_BEFORE_APPROVAL = "借调开始日期不能早于批准日期。"
ERR_END_BEFORE_START = "借调结束日期不能早于开始日期。"
ERR_REJECT_REASON = "请填写否决理由。"


REGISTRIES = {"hr": "filed_hr", "civil": "filed_civil"}


def _lock(secondment: Secondment) -> Secondment:
    return Secondment.objects.select_for_update().select_related("worker").get(pk=secondment.pk)


# Which step may be taken in which state: the services enforce it, the page offers only these steps.
STEP_STATES = {
    "opinion": (Secondment.State.REQUESTED,),
    "approve": (Secondment.State.OPINIONS_ATTACHED,),
    "file": (Secondment.State.APPROVED,),
    "activate": (Secondment.State.FILED,),
    "end": (Secondment.State.ACTIVE,),
    "reject": (
        Secondment.State.REQUESTED,
        Secondment.State.OPINIONS_ATTACHED,
        Secondment.State.APPROVED,
        Secondment.State.FILED,
    ),
}


def _require_state(secondment: Secondment, states: tuple, action: str) -> None:
    if secondment.state not in states:
        raise ValidationError({"state": ERR_STEP.format(state=secondment.get_state_display(), action=action)})


def _save_step(actor, secondment: Secondment, action: str, fields: list[str], details: dict) -> Secondment:
    secondment.full_clean()
    secondment.save(update_fields=[*fields, "updated_at"])
    audit.record(actor=actor, action=f"secondment.{action}", obj=secondment, details=details)
    return secondment


@transaction.atomic
def secondment_request(
    *,
    actor,
    worker: Worker,
    reason: str,
    planned_start: date,
    planned_end: date | None = None,
    host_street: Street | None = None,
    host_department: Department | None = None,
) -> Secondment:
    if (host_street is None) == (host_department is None):
        raise ValidationError({"host": ERR_ONE_HOST})
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if worker.status != Worker.Status.ACTIVE:
        raise ValidationError({"worker": ERR_WORKER_NOT_ACTIVE})
    if not worker.posts.filter(post=Post.SOCIAL_WORKER).exists():
        raise ValidationError({"worker": ERR_NOT_SOCIAL_WORKER})
    if worker.secondments.filter(state__in=Secondment.OPEN_STATES).exists():
        raise ValidationError({"worker": ERR_OPEN_SECONDMENT})
    if planned_end is not None and planned_end < planned_start:
        raise ValidationError({"planned_end": ERR_END_BEFORE_START})
    secondment = Secondment(
        worker=worker,
        host_street=host_street,
        host_department=host_department,
        reason=reason.strip(),
        planned_start=planned_start,
        planned_end=planned_end,
        requested_by=actor,
    )
    secondment.full_clean()
    secondment.save()
    audit.record(
        actor=actor,
        action="secondment.request",
        obj=secondment,
        details={"worker": worker.pk, "host": secondment.host_name},
    )
    return secondment


def check_opinion_file(upload: UploadedFile) -> uploads.Kind:
    """PDF, JPEG or PNG judged by the file's first bytes, never by its name or declared type."""
    limit = settings.STAFF_OPINION_MAX_BYTES
    return uploads.check(
        upload,
        field="file",
        max_bytes=limit,
        too_large=ERR_FILE_SIZE.format(limit=uploads.megabytes(limit)),
        wrong_kind=ERR_FILE_TYPE,
    )


@transaction.atomic
def secondment_attach_opinion(
    *, actor, secondment: Secondment, side: str, text: str = "", upload: UploadedFile | None = None
) -> SecondmentOpinion:
    secondment = _lock(secondment)
    _require_state(secondment, STEP_STATES["opinion"], "登记书面意见")
    if secondment.opinions.filter(side=side).exists():
        raise ValidationError({"side": ERR_OPINION_EXISTS})
    text = text.strip()
    if not text and upload is None:
        raise ValidationError({"text": ERR_OPINION_EMPTY})
    unit = secondment.worker.committee if side == SecondmentOpinion.Side.SENDING else secondment.host_name
    opinion = SecondmentOpinion(
        secondment=secondment, side=side, unit_name=str(unit), text=text, recorded_by=actor
    )
    if upload is not None:
        kind = check_opinion_file(upload)
        opinion.content_type = kind.content_type
        opinion.file_name = (
            f"{secondment.pk}-{side}{kind.extension}"  # the download's name, not the uploader's
        )
        opinion.file.save(opinion.file_name, upload, save=False)  # stored under a random name (upload_to)
    try:
        opinion.full_clean()
        opinion.save()
        audit.record(
            actor=actor,
            action="secondment.attach_opinion",
            obj=secondment,
            details={"side": side, "file": opinion.content_type or None, "text": bool(text)},
        )
        if secondment.opinions.count() == len(SecondmentOpinion.Side):
            secondment.state = Secondment.State.OPINIONS_ATTACHED
            _save_step(actor, secondment, "opinions_complete", ["state"], {})
    except BaseException:
        if opinion.file and opinion.file._committed:  # the transaction rolls back: no row, no file
            opinion.file.delete(save=False)
        raise
    return opinion


@transaction.atomic
def secondment_approve(
    *, actor, secondment: Secondment, approval_document: str, approved_on: date
) -> Secondment:
    secondment = _lock(secondment)
    _require_state(secondment, STEP_STATES["approve"], "登记区政府批准")
    if not approval_document.strip():
        raise ValidationError({"approval_document": ERR_APPROVAL_DOCUMENT})
    secondment.approval_document = approval_document.strip()
    secondment.approved_on = approved_on
    secondment.approved_by = actor
    secondment.state = Secondment.State.APPROVED
    return _save_step(
        actor,
        secondment,
        "approve",
        ["approval_document", "approved_on", "approved_by", "state"],
        {"document": secondment.approval_document, "approved_on": approved_on.isoformat()},
    )


@transaction.atomic
def secondment_file(*, actor, secondment: Secondment, registry: str, reference: str) -> Secondment:
    """Record the filing with the HR bureau (`hr`) or the civil-affairs bureau (`civil`); both make it filed."""
    secondment = _lock(secondment)
    _require_state(secondment, STEP_STATES["file"], "备案")
    if registry not in REGISTRIES:
        raise ValidationError({"registry": ERR_UNKNOWN_REGISTRY})
    if not reference.strip():
        raise ValidationError({"reference": ERR_REFERENCE})
    prefix = REGISTRIES[registry]
    if getattr(secondment, f"{prefix}_at") is not None:
        raise ValidationError({"registry": ERR_ALREADY_FILED})
    setattr(secondment, f"{prefix}_at", timezone.now())
    setattr(secondment, f"{prefix}_reference", reference.strip())
    if secondment.filed_hr_at and secondment.filed_civil_at:
        secondment.state = Secondment.State.FILED
    return _save_step(
        actor,
        secondment,
        "file",
        [f"{prefix}_at", f"{prefix}_reference", "state"],
        {"registry": registry, "reference": reference.strip()},
    )


@transaction.atomic
def secondment_activate(*, actor, secondment: Secondment, started_on: date) -> Secondment:
    secondment = _lock(secondment)
    _require_state(secondment, STEP_STATES["activate"], "开始借调")
    if started_on < secondment.approved_on:
        raise ValidationError({"started_on": ERR_START_BEFORE_APPROVAL})
    worker = Worker.objects.select_for_update().get(pk=secondment.worker_id)
    if worker.status != Worker.Status.ACTIVE:
        raise ValidationError({"worker": ERR_WORKER_NOT_ACTIVE})
    worker.status = Worker.Status.SECONDED
    worker.save(update_fields=["status", "updated_at"])
    secondment.started_on = started_on
    secondment.state = Secondment.State.ACTIVE
    return _save_step(
        actor, secondment, "activate", ["started_on", "state"], {"started_on": started_on.isoformat()}
    )


@transaction.atomic
def secondment_end(*, actor, secondment: Secondment, ended_on: date) -> Secondment:
    secondment = _lock(secondment)
    _require_state(secondment, STEP_STATES["end"], "结束借调")
    if ended_on < secondment.started_on:
        raise ValidationError({"ended_on": ERR_END_BEFORE_START})
    Worker.objects.filter(pk=secondment.worker_id, status=Worker.Status.SECONDED).update(
        status=Worker.Status.ACTIVE, updated_at=timezone.now()
    )
    secondment.ended_on = ended_on
    secondment.state = Secondment.State.ENDED
    return _save_step(actor, secondment, "end", ["ended_on", "state"], {"ended_on": ended_on.isoformat()})


@transaction.atomic
def secondment_reject(*, actor, secondment: Secondment, reason: str) -> Secondment:
    secondment = _lock(secondment)
    _require_state(
        secondment,
        STEP_STATES["reject"],
        "否决",
    )
    if not reason.strip():
        raise ValidationError({"reason": ERR_REJECT_REASON})
    secondment.rejected_in_state = secondment.state
    secondment.rejected_reason = reason.strip()
    secondment.rejected_at = timezone.now()
    secondment.state = Secondment.State.REJECTED
    return _save_step(
        actor,
        secondment,
        "reject",
        ["rejected_in_state", "rejected_reason", "rejected_at", "state"],
        {"in_state": secondment.rejected_in_state, "reason": secondment.rejected_reason},
    )
