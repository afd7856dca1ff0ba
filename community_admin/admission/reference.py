"""Reference data of the admission app (core/reference_data.py): the district's admission list as the report has it
(admission/catalogue.py: 依法履行职责事项, 依法协助政府工作事项, 不应由社区承担的事项), in force from its
publication date, owned by the district's departments (org/reference.py installs them first). An item already
there is left as the procedure left it (revoked, re-rated); only missing ones are created."""

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from community_admin.admission import catalogue
from community_admin.admission.models import ServiceItem
from community_admin.org.models import Department

ERR_NO_DEPARTMENT = (
    "责任部门：找不到部门代码 {code}（准入事项 {name}）：请先运行 install_reference_data 的部门部分。"
)


def install(say) -> None:
    departments = {d.code: d for d in Department.objects.all()}
    existing = set(ServiceItem.objects.values_list("code", flat=True))
    effective = catalogue.EFFECTIVE_FROM
    decided = datetime.combine(
        effective - timedelta(days=45), time(10), tzinfo=timezone.get_current_timezone()
    )
    missing = []
    for code, name, area, category, dept, unit, rate, named in catalogue.ITEMS:
        if code in existing:
            continue
        if dept not in departments:
            raise ValidationError({"department": ERR_NO_DEPARTMENT.format(code=dept, name=name)})
        missing.append(
            ServiceItem(
                code=code,
                name=name,
                area=area,
                category=category,
                department=departments[dept],
                legal_basis=catalogue.legal_basis(code, area, category),
                source_document=catalogue.SOURCE_DOCUMENT,
                effective_from=effective,
                unit=unit,
                unit_rate=catalogue.rate(rate),
                named_in_report=named,
                status=ServiceItem.Status.ADMITTED,
                applied_on=effective - timedelta(days=60),
                decision_due=effective - timedelta(days=39),
                decided_at=decided,
                review_note="随本区准入清单发布。",
            )
        )
    ServiceItem.objects.bulk_create(missing)
    say(f"[tasks] 准入清单 {len(catalogue.ITEMS)} 项（新建 {len(missing)} 项）。")
