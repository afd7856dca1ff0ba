from datetime import timedelta
from decimal import Decimal
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from community_admin.funding import services
from community_admin.funding.models import Expenditure, FundingPolicy
from tests.funding.factories import funding_objects


def test_bureau_creates_a_policy_version(world, login):
    data = {
        "year": 2031,
        "name": "新标准",
        "source": "区政府常务会议",
        "base_amount": "12000",
        "per_household_beyond": "12",
        "village_converted_pool": "200000",
        "large_centre_extra": "3000",
        "delay_days": "20",
        "adopt": "on",
    }
    data.update(
        {
            f"cost_{c}": "1000"
            for c in (
                "phone",
                "printing",
                "newspapers",
                "activities",
                "office_supplies",
                "utilities",
                "equipment",
                "display_boards",
                "group_leaders",
            )
        }
    )
    response = login(world.bureau).post(reverse("funding:policy-create"), data)
    assert response.status_code == 302
    policy = FundingPolicy.objects.get(year=2031)
    assert policy.adopted and policy.typical_total == Decimal("9000.00")
    bad = login(world.bureau).post(reverse("funding:policy-create"), {**data, "base_amount": "-1"})
    assert bad.status_code == 400


def test_run_twice_after_close_is_refused_with_the_field_named(world, login):
    objects = funding_objects(world)
    response = login(world.bureau).post(reverse("funding:run-start"), {"year": objects.run.year})
    assert response.status_code == 400
    assert services.ERR_YEAR_CLOSED.format(year=objects.run.year) in response.content.decode()


def test_compare_page_embeds_chart_data_and_export_is_xlsx(world, login):
    objects = funding_objects(world)
    client = login(world.bureau)
    query = {"a": objects.policy.pk, "b": objects.proposal.pk}
    page = client.get(reverse("funding:compare"), query)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="compare-figures"' in body and "vendor/echarts/echarts.min.js" in body
    assert "http://" not in body and "https://" not in body
    export = client.get(reverse("funding:compare-export"), query)
    assert export["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(BytesIO(export.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][0] == "户数来源：在册数（人口登记尚未确认完整）"  # no registry is marked complete here
    assert rows[4][0] == "社区代码"
    assert rows[-1][3] == float(objects.run.total) or Decimal(str(rows[-1][3])) == objects.run.total


def test_street_passes_on_and_committee_confirms(world, login):
    objects = funding_objects(world, sent_days_ago=5)
    d = objects.disbursements["a1"]
    today = timezone.localdate()
    street = login(world.street_user)
    response = street.post(
        reverse("funding:disbursement-pass-on", args=[d.pk]), {"passed_on": today, "amount": "5000.00"}
    )
    assert response.status_code == 302
    response = login(world.committee_user).post(
        reverse("funding:disbursement-confirm", args=[d.pk]),
        {"received_on": today, "amount": "6000"},
        follow=True,
    )
    # more than the street passed on: back on the list, the refusal said with its field, nothing written
    assert response.redirect_chain[-1][0] == reverse("funding:disbursement-list") + f"?year={today.year}"
    refusal = [str(m) for m in response.context["messages"]]
    assert len(refusal) == 1 and refusal[0].startswith("金额：到账金额不能超过街道转拨金额"), refusal
    d.refresh_from_db()
    assert d.received_on is None
    response = login(world.committee_user).post(
        reverse("funding:disbursement-confirm", args=[d.pk]), {"received_on": today, "amount": "5000"}
    )
    assert response.status_code == 302
    audit = login(world.bureau).get(reverse("funding:audit"), {"year": today.year})
    assert "街道截留 1 起" in audit.content.decode()


def test_committee_records_spending_and_downloads_only_its_own_receipt(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    objects = funding_objects(world)
    client = login(world.committee_user)
    png = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="image/png")
    response = client.post(
        reverse("funding:expenditure-create"),
        {
            "spent_on": timezone.localdate(),
            "category": "printing",
            "amount": "88.80",
            "description": "复印",
            "receipt": png,
        },
    )
    assert response.status_code == 302
    e = Expenditure.objects.get(description="复印")
    assert e.committee == world.committee_a1 and e.receipt_content_type == "image/png"
    assert e.receipt.path.startswith(str(tmp_path)) and "x.png" not in e.receipt.name
    download = client.get(reverse("funding:receipt", args=[e.pk]))
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert client.get(reverse("funding:receipt", args=[objects.expenditures["a2"].pk])).status_code == 404
    exe = SimpleUploadedFile("x.pdf", b"MZ\x90\x00", content_type="application/pdf")
    response = client.post(
        reverse("funding:expenditure-create"),
        {
            "spent_on": timezone.localdate(),
            "category": "printing",
            "amount": "1",
            "description": "x",
            "receipt": exe,
        },
    )
    assert response.status_code == 400
    assert services.ERR_FILE_TYPE in response.content.decode()


def test_pages_render_for_their_roles(world, login):
    funding_objects(world)
    for user in (world.bureau, world.street_user, world.committee_user):
        client = login(user)
        for name in (
            "funding:policy-list",
            "funding:run-list",
            "funding:disbursement-list",
            "funding:expenditure-list",
        ):
            assert client.get(reverse(name)).status_code == 200, (user.role, name)
    assert login(world.bureau).get(reverse("funding:audit")).status_code == 200
    sent_long_ago = timezone.localdate() - timedelta(days=40)
    assert sent_long_ago.isoformat()  # the audit shows the delay below
    assert "拨付延迟 3 起" in login(world.bureau).get(reverse("funding:audit")).content.decode()


def test_a_receipt_is_sent_uncached_sandboxed_under_a_chinese_name_and_audited(
    world, login, settings, tmp_path
):
    """Finding 8 of the penetration test: the receipt carried neither no-store nor the sandbox, and no audit row."""
    from urllib.parse import quote

    from community_admin.core.models import AuditLog

    settings.MEDIA_ROOT = tmp_path
    client = login(world.committee_user)
    png = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="image/png")
    client.post(
        reverse("funding:expenditure-create"),
        {
            "spent_on": timezone.localdate(),
            "category": "printing",
            "amount": "9",
            "description": "票",
            "receipt": png,
        },
    )
    e = Expenditure.objects.get(description="票")
    download = client.get(reverse("funding:receipt", args=[e.pk]))
    assert download["Cache-Control"] == "private, no-store"
    assert download["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert f"filename*=UTF-8''{quote(f'支出{e.pk}-票据.png')}" in download["Content-Disposition"]
    row = AuditLog.objects.get(action="expenditure.receipt_download")
    assert (row.actor, row.object_type, row.object_id) == (
        world.committee_user,
        "funding.expenditure",
        str(e.pk),
    )
    assert row.details["file"] == f"支出{e.pk}-票据.png"
