from django.urls import reverse

from community_admin.ledgers import services
from community_admin.ledgers.models import LedgerEntry
from tests.factories import PersonFactory


def test_committee_sees_a_derived_book_filled_without_typing(world, books, login):
    PersonFactory(household__committee=world.committee_a1, name="赵党员", party_member=True)
    page = login(world.committee_user).get(reverse("ledgers:book-detail", args=[books["party_members"].pk]))
    assert page.status_code == 200 and "赵党员" in page.content.decode()
    assert "共 1 人" in page.content.decode()


def test_committee_types_an_entry_on_the_page_and_closes_the_period(world, books, login):
    person = PersonFactory(household__committee=world.committee_a1, name="钱救助")
    client = login(world.committee_user)
    book = books["mz_relief"]
    url = reverse("ledgers:entry-create", args=[book.pk])
    bad = client.post(url, {"committee": "A1", "person": "不存在", "amount": "abc"})
    assert bad.status_code == 400 and "找不到此人" in bad.content.decode()
    good = client.post(
        url,
        {
            "committee": "A1",
            "person": person.id_number,
            "reason": "火灾",
            "amount": "200",
            "granted_on": "2025-01-01",
        },
    )
    assert good.status_code == 302 and LedgerEntry.objects.get().data["person"] == person.pk
    client.post(reverse("ledgers:period-close", args=[book.pk]), {"committee": "A1"})
    page = client.get(good["Location"])
    assert 'data-testid="period-closed"' in page.content.decode() and "登记一条" not in page.content.decode()


def test_book_list_counts_the_catalogue(world, books, login):
    page = login(world.bureau).get(reverse("ledgers:book-list")).content.decode()
    assert f"共 15 类 {len(books)} 本台账" in page


def test_an_import_that_is_not_a_workbook_is_refused_at_the_file_field(world, books, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from community_admin.core import uploads

    url = reverse("ledgers:book-import", args=[books["mz_relief"].pk])
    page = login(world.committee_user).post(
        url,
        {
            "committee": "A1",
            "file": SimpleUploadedFile("台账.xlsx", b"<html><script>alert(1)</script></html>"),
        },
    )
    body = page.content.decode()
    assert page.status_code == 400 and uploads.ERR_WORKBOOK_TYPE in body
    assert 'name="file"' in body and 'aria-invalid="true"' in body
    assert not LedgerEntry.objects.exists()


def test_an_entrys_history_names_the_clerk(world, books, login):
    from community_admin.accounts.models import Role
    from tests.factories import UserFactory

    clerk = UserFactory(
        username="a1-zhao", first_name="赵敏", role=Role.COMMITTEE, committee=world.committee_a1
    )
    entry = services.entry_create(
        actor=clerk,
        book=books["zz_disputes"],
        committee=world.committee_a1,
        data={"found_on": "2025-01-02", "parties": "王某与李某", "kind": "邻里纠纷", "result": "调解成功"},
    )
    text = login(world.committee_user).get(reverse("ledgers:entry-detail", args=[entry.pk])).content.decode()
    assert "赵敏" in text and "a1-zhao" not in text
