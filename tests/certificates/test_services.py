import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community_admin.certificates import services
from community_admin.certificates.models import (
    Certificate,
    CertificateType,
    Evidence,
    Refusal,
    SealUse,
    SerialCounter,
)
from community_admin.core.models import AuditLog
from tests.certificates.conftest import evidence_for, upload

pytestmark = pytest.mark.django_db


def issue(world, person, ct, **kwargs):
    return services.certificate_issue(
        actor=world.committee_user, person=person, certificate_type=ct, **kwargs
    )


def test_the_seeded_whitelist_has_the_reports_tiers_and_the_national_list(types):
    from community_admin.certificates.models import NationalProhibition
    from community_admin.certificates.selectors import tier_counts

    assert tier_counts() == {"A": 2, "B": 6, "C": 15}
    assert sum(not ct.named_in_report for ct in types.values()) == 4
    assert all(ct.refer_to for ct in types.values() if ct.tier == "C")
    assert all(ct.required_evidence for ct in types.values() if ct.tier == "B")
    national = NationalProhibition.objects.select_related("source")
    assert national.count() == 20
    assert {p.source.document_number for p in national} == {"民发〔2020〕20号"}
    assert str(national.first().source.effective_from) == "2020-04-28"
    assert set(types["kinship"].conflicts.values_list("name", flat=True)) == {"亲属关系证明"}
    assert set(types["marriage-lost"].conflicts.values_list("name", flat=True)) == {"婚姻状况证明"}


def test_tier_a_issues_with_a_serial_a_seal_log_row_and_an_audit_row(world, people, types):
    result = issue(world, people["A1"], types["residence"], purpose="办理入学")
    cert = result.certificate
    assert not result.refused
    assert (cert.number, cert.serial, cert.holder_name) == (1, f"A1-{cert.year}-00001", "张A1")
    seal = SealUse.objects.get(certificate=cert)
    assert (seal.serial, seal.applied_by, seal.seal_name) == (
        cert.serial,
        world.committee_user,
        "甲一社区居委会印章",
    )
    assert AuditLog.objects.filter(action="certificate.issue", object_id=str(cert.pk)).count() == 1
    assert len(cert.verification_code) == services.VERIFICATION_CODE_LENGTH


def test_serials_count_per_committee(world, people, types):
    from tests.factories import UserFactory

    a2_user = UserFactory(role="committee", committee=world.committee_a2)
    first = issue(world, people["A1"], types["residence"]).certificate
    second = issue(world, people["A1"], types["conduct"]).certificate
    other = services.certificate_issue(
        actor=a2_user, person=people["A2"], certificate_type=types["residence"]
    ).certificate
    assert [first.number, second.number, other.number] == [1, 2, 1]
    assert SerialCounter.objects.get(committee=world.committee_a1, year=first.year).last_number == 2


def test_tier_b_needs_every_listed_item(world, people, types):
    kinship = types["kinship"]
    partial = {kinship.required_evidence[0]: [upload()]}
    with pytest.raises(ValidationError) as exc:
        issue(world, people["A1"], kinship, evidence=partial)
    assert exc.value.message_dict["evidence"] == [
        services.ERR_EVIDENCE_MISSING.format(item=kinship.required_evidence[1])
    ]
    assert not Certificate.objects.exists()
    assert not SerialCounter.objects.filter(last_number__gt=0).exists()


def test_tier_b_issues_with_its_evidence_stored_outside_the_web_root(world, people, types, _evidence_root):
    from tests.certificates.conftest import PNG_BYTES

    kinship = types["kinship"]
    evidence = evidence_for(kinship)
    evidence[kinship.required_evidence[1]] = [upload("id.png", PNG_BYTES, "image/png")]
    cert = issue(world, people["A1"], kinship, evidence=evidence).certificate
    rows = list(Evidence.objects.filter(certificate=cert).order_by("id"))
    assert [r.requirement for r in rows] == kinship.required_evidence
    assert [r.content_type for r in rows] == ["application/pdf", "image/png"]
    assert rows[1].file.name.endswith(".png") and "id.png" not in rows[1].file.name
    assert (_evidence_root / rows[1].file.name).read_bytes() == PNG_BYTES


@pytest.mark.parametrize(
    ("name", "data"),
    [("page.pdf", b"<html><script>alert(1)</script></html>"), ("a.png", b"GIF89a......"), ("x.pdf", b"")],
)
def test_evidence_is_checked_by_content_not_by_name(world, people, types, name, data, _evidence_root):
    kinship = types["kinship"]
    evidence = evidence_for(kinship)
    evidence[kinship.required_evidence[0]] = [upload(name, data, "application/pdf")]
    with pytest.raises(ValidationError) as exc:
        issue(world, people["A1"], kinship, evidence=evidence)
    message = exc.value.message_dict["evidence"][0]
    assert kinship.required_evidence[0] in message and name in message
    assert not Certificate.objects.exists()
    assert not any(_evidence_root.rglob("*.pdf")), "nothing is left on disk"


def test_evidence_size_is_limited(world, people, types, settings):
    settings.CERTIFICATES_EVIDENCE_MAX_BYTES = 1024 * 1024
    kinship = types["kinship"]
    evidence = evidence_for(kinship)
    evidence[kinship.required_evidence[0]] = [upload("big.pdf", b"%PDF-" + b"0" * (1024 * 1024))]
    with pytest.raises(ValidationError) as exc:
        issue(world, people["A1"], kinship, evidence=evidence)
    assert exc.value.message_dict["evidence"] == [
        services.ERR_EVIDENCE_SIZE.format(item=kinship.required_evidence[0], name="big.pdf", mb=1)
    ]


def test_tier_a_takes_no_evidence(world, people, types):
    with pytest.raises(ValidationError) as exc:
        issue(world, people["A1"], types["residence"], evidence={"户口簿": [upload()]})
    assert exc.value.message_dict["evidence"] == [services.ERR_EVIDENCE_NOT_NEEDED]


def test_tier_c_is_refused_recorded_and_referred_without_using_a_number(world, people, types):
    result = issue(world, people["A1"], types["only-home"], purpose="购房")
    assert result.refused and result.certificate is None
    refusal = Refusal.objects.get()
    assert refusal.referred_to == types["only-home"].refer_to == "区不动产登记中心（住房情况查询）"
    assert refusal.referral_domain == "housing"
    assert AuditLog.objects.filter(action="certificate.refuse", object_id=str(refusal.pk)).exists()
    assert issue(world, people["A1"], types["residence"]).certificate.number == 1


def test_a_failed_issuance_leaves_no_gap_and_no_file(world, people, types, monkeypatch, _evidence_root):
    def broken(*args, **kwargs):
        raise ValidationError("印章登记失败")

    kinship = types["kinship"]
    with monkeypatch.context() as m:
        m.setattr(SealUse, "full_clean", broken)
        with pytest.raises(ValidationError):
            issue(world, people["A1"], kinship, evidence=evidence_for(kinship))
    assert not Certificate.objects.exists()
    assert not [p for p in _evidence_root.rglob("*") if p.is_file()]
    assert issue(world, people["A1"], types["residence"]).certificate.number == 1


def test_only_the_persons_own_committee_issues(world, people, types):
    with pytest.raises(ValidationError) as exc:
        issue(world, people["A2"], types["residence"])
    assert exc.value.message_dict["person"] == [services.ERR_PERSON_NOT_OURS]
    with pytest.raises(PermissionDenied):
        services.certificate_issue(
            actor=world.street_user, person=people["A1"], certificate_type=types["residence"]
        )


def test_inactive_types_and_people_who_left_are_refused(world, people, types):
    person = people["A1"]
    person.status = "moved_out"
    person.save()
    with pytest.raises(ValidationError) as exc:
        issue(world, person, types["residence"])
    assert exc.value.message_dict["person"] == [services.ERR_PERSON_NOT_ACTIVE]
    ct = types["conduct"]
    ct.active = False
    ct.save()
    with pytest.raises(ValidationError):
        issue(world, people["A1"], types["conduct"])


def test_voiding_keeps_the_number_and_records_why(world, people, types):
    cert = issue(world, people["A1"], types["residence"]).certificate
    with pytest.raises(ValidationError):
        services.certificate_void(actor=world.committee_user, certificate=cert, reason="  ")
    voided = services.certificate_void(actor=world.committee_user, certificate=cert, reason="姓名打印错误")
    assert (voided.status, voided.number, voided.void_reason) == ("voided", 1, "姓名打印错误")
    with pytest.raises(ValidationError) as exc:
        services.certificate_void(actor=world.committee_user, certificate=voided, reason="再次")
    assert exc.value.message_dict["reason"] == [services.ERR_ALREADY_VOIDED]
    assert issue(world, people["A1"], types["residence"]).certificate.number == 2
    with pytest.raises(PermissionError):
        voided.delete()
    with pytest.raises(PermissionError):
        Certificate.objects.all().delete()


def test_the_bureau_edits_the_whitelist_and_every_change_is_audited(world, types):
    ct = services.certificate_type_update(
        actor=world.bureau,
        certificate_type=types["hardship"],
        changes={"tier": "C", "refer_to": "区民政局社会救助科", "referral_domain": "civil"},
    )
    assert ct.tier == "C"
    row = AuditLog.objects.get(action="certificate_type.update", object_id=str(ct.pk))
    assert row.details["changes"]["tier"] == ["B", "C"]
    assert row.details["changes"]["refer_to"] == ["", "区民政局社会救助科"]


@pytest.mark.parametrize(
    ("code", "changes", "field", "message"),
    [
        ("residence", {"tier": "C"}, "refer_to", services.ERR_REFER_TO_REQUIRED),
        ("residence", {"tier": "B"}, "required_evidence", services.ERR_EVIDENCE_LIST_REQUIRED),
        ("death", {"tier": "A"}, "template_text", services.ERR_TEMPLATE_REQUIRED),
        ("residence", {"template_text": "兹证明{name}{salary}"}, "template_text", None),
        ("residence", {"template_text": "兹证明{name"}, "template_text", services.ERR_TEMPLATE_SYNTAX),
        ("residence", {"serial": "x"}, "serial", services.ERR_TYPE_FIELD.format(field="serial")),
    ],
)
def test_whitelist_edits_that_break_a_rule_name_the_field(world, types, code, changes, field, message):
    with pytest.raises(ValidationError) as exc:
        services.certificate_type_update(actor=world.bureau, certificate_type=types[code], changes=changes)
    errors = exc.value.message_dict[field]
    if message:
        assert errors == [message]
    else:
        assert "{salary}" in errors[0]
    assert CertificateType.objects.get(code=code).tier == types[code].tier


def test_adopting_a_national_rule_makes_the_type_refused_and_is_audited(world, people, types):
    marriage = types["marriage-lost"]
    rule = marriage.conflicts.get()
    ct = services.certificate_type_adopt_national_rule(
        actor=world.bureau, certificate_type=marriage, prohibition=rule
    )
    assert (ct.tier, ct.refer_to, ct.adopted_prohibition) == ("C", rule.refer_to, rule)
    assert AuditLog.objects.filter(
        action="certificate_type.adopt_national_rule", object_id=str(ct.pk)
    ).exists()
    assert issue(world, people["A1"], ct).refused
    with pytest.raises(ValidationError) as exc:
        services.certificate_type_adopt_national_rule(
            actor=world.bureau, certificate_type=types["residence"], prohibition=rule
        )
    assert "prohibition" in exc.value.message_dict


def test_the_whitelist_flags_district_types_a_national_rule_forbids(types):
    from community_admin.certificates.selectors import whitelist

    flagged = {row.certificate_type.code for row in whitelist() if row.in_conflict}
    assert {"kinship", "marriage-lost"} <= flagged
    assert "death" not in flagged  # refused already: the two sources agree
    assert "residence" not in flagged
