"""Objects of each capability in committees A1, A2 and B1 of the test world (tests/conftest.py), made through the
services where they can be: shared by the route matrix (tests/security) and the API fuzzing world (tests/fuzz).
`settings` is pytest-django's settings fixture (or its SettingsWrapper): builders that store files point that
capability's storage at `tmp_path`."""

from community_admin.accounts.models import Role


def jobs_objects(world, settings, tmp_path) -> dict:
    """Jobs of committee A1 (one done with a result file, one failed), committee A2 and street B."""
    from community_admin.jobs import services as job_services
    from community_admin.jobs.models import Job
    from tests.factories import UserFactory

    settings.STORAGES = {
        **settings.STORAGES,
        "job_results": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "job-results"},
        },
    }
    kind = "dashboards.committee_export"
    a2_user = UserFactory(username="t-committee-a2", role=Role.COMMITTEE, committee=world.committee_a2)
    b_user = UserFactory(username="t-street-b", role=Role.STREET, street=world.street_b)
    jobs = {
        "job_a1": job_services.job_start(actor=world.committee_user, kind=kind).job,
        "job_a1_failed": job_services.job_start(
            actor=world.committee_user, kind=kind, params={"street": "A"}
        ).job,
        "job_a2": job_services.job_start(actor=a2_user, kind=kind).job,
        "job_b": job_services.job_start(actor=b_user, kind=kind).job,
    }
    job_services.job_run(job_id=jobs["job_a1"].pk, heartbeat=False)
    Job.objects.filter(pk=jobs["job_a1_failed"].pk).update(state=Job.State.FAILED, error="矩阵测试")
    return jobs


def services_objects(world, persons, settings, tmp_path) -> dict:
    """A visit, an activity with an attachment, a volunteer and an organisation in each of A1, A2 and B1."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from django.utils import timezone

    from community_admin.community_services.models import (
        Activity,
        ActivityAttachment,
        CommunityOrganisation,
        Visit,
        Volunteer,
    )

    settings.STORAGES = {
        **settings.STORAGES,
        "services_files": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "services-files")},
        },
    }
    today = timezone.localdate()
    out: dict[str, dict] = {
        "visit": {},
        "activity": {},
        "attachment": {},
        "volunteer": {},
        "organisation": {},
    }
    for code, person in persons.items():
        out["visit"][code] = Visit.objects.create(
            committee_id=person.committee_id,
            household_id=person.household_id,
            visited_on=today,
            visitor=world.committee_user,
            purpose="routine",
            follow_up="再访",
            follow_up_due=today,
        )
        activity = Activity.objects.create(
            committee_id=person.committee_id,
            title="矩阵活动",
            kind="culture",
            held_on=today,
            place="活动室",
            organiser="居委会",
            created_by=world.committee_user,
        )
        out["activity"][code] = activity
        name = storages["services_files"].save(f"matrix/{code}.png", ContentFile(b"\x89PNG\r\n\x1a\n0000"))
        out["attachment"][code] = ActivityAttachment.objects.create(
            activity=activity,
            file=name,
            original_name="a.png",
            content_type="image/png",
            size=12,
            sha256="0" * 64,
            uploaded_by=world.committee_user,
        )
        out["volunteer"][code] = Volunteer.objects.create(
            person=person, committee_id=person.committee_id, registered_on=today
        )
        out["organisation"][code] = CommunityOrganisation.objects.create(
            committee_id=person.committee_id, name="矩阵组织", kind="culture"
        )
    return out


def certificates_objects(world, persons, settings, tmp_path) -> dict:
    """A tier-B certificate (with its evidence) and a refusal in each committee, issued by its own staff."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from community_admin.certificates import services as certificate_services
    from community_admin.certificates.models import CertificateType
    from tests.factories import UserFactory, ensure_certificate_whitelist

    ensure_certificate_whitelist()
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "evidence"},
        },
    }
    staff = {
        "A1": world.committee_user,
        "A2": UserFactory(username="t-cert-a2", role=Role.COMMITTEE, committee=world.committee_a2),
        "B1": UserFactory(username="t-cert-b1", role=Role.COMMITTEE, committee=world.committee_b1),
    }
    kinship = CertificateType.objects.get(code="kinship")
    death = CertificateType.objects.get(code="death")
    out = {"certificates": {}, "evidence": {}, "refusals": {}, "certificate_type": kinship}
    for code, user in staff.items():
        evidence = {
            item: [SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4 matrix", content_type="application/pdf")]
            for i, item in enumerate(kinship.required_evidence)
        }
        cert = certificate_services.certificate_issue(
            actor=user, person=persons[code], certificate_type=kinship, evidence=evidence
        ).certificate
        out["certificates"][code] = cert
        out["evidence"][code] = cert.evidence.first()
        out["refusals"][code] = certificate_services.certificate_issue(
            actor=user, person=persons[code], certificate_type=death
        ).refusal
    return out


def tasks_objects(world) -> dict:
    """An admission-list item and three admitted tasks: the police station's to A1 and to A2, and another
    department's to B1."""
    from datetime import timedelta

    from django.utils import timezone

    from community_admin.admission import services as task_services
    from tests.admission.factories import ServiceItemFactory
    from tests.factories import DepartmentFactory, UserFactory

    item = ServiceItemFactory(code="RM01", unit_rate=0, department=world.police)
    other = UserFactory(
        username="t-other-dept", role=Role.DEPARTMENT, department=DepartmentFactory(code="OD")
    )
    item.co_departments.add(other.department)  # both departments may push it

    def push(user, code):
        return task_services.task_submit(
            actor=user,
            service_item_code=item.code,
            title=f"矩阵任务 {code}",
            due_date=timezone.localdate() + timedelta(days=10),
            quantity=1,
            funding=0,
            committee_codes=[code],
        )

    return {
        "item": item,
        "task_a1": push(world.department_user, "A1"),
        "task_a2": push(world.department_user, "A2"),
        "task_b1": push(other, "B1"),
    }


def ledgers_objects(world) -> dict:
    """The catalogue, an entry of a police-owned book at each committee, and closed periods of another."""
    from community_admin.ledgers import services as ledger_services
    from tests.ledgers.conftest import install_catalogue

    books = install_catalogue()
    committees = {c.code: c for c in (world.committee_a1, world.committee_a2, world.committee_b1)}
    entries, closed = {}, {}
    for code, committee in committees.items():
        entries[code] = ledger_services.entry_create(
            actor=world.bureau,
            book=books["zz_rented_housing"],
            committee=committee,
            data={"address": "1号楼101", "landlord": "房东", "tenants": 2, "registered_on": "2025-01-02"},
        )
        closed[code] = ledger_services.period_close(
            actor=world.bureau, book=books["aq_fire_hazards"], committee=committee, period_key=""
        )
    return {"books": books, "entries": entries, "closed_periods": closed}
