"""A page's own query parameters (tabs, a year in a link) are read strictly: a value the page cannot read
answers 400 naming it, with a link to the page without it, never the page as if it were absent."""

import pytest
from django.urls import reverse

PAGES = [
    ("staff:secondment-list", "state", "借调状态", "bureau"),
    ("staff:evaluation", "year", "测评年度", "bureau"),
    ("ledgers:burden", "year", "年度", "bureau"),
    ("residents:conflict-list", "status", "处理状态", "street_user"),
    ("services:visit-list", "mine", "只看我的", "committee_user"),
    ("funding:disbursement-list", "year", "年度", "bureau"),
]


@pytest.mark.parametrize(("url_name", "name", "label", "who"), PAGES)
def test_a_value_the_page_cannot_read_is_a_400_naming_it(world, login, url_name, name, label, who):
    url = reverse(url_name)
    response = login(getattr(world, who)).get(url, {name: "1999x", "page": "2"})
    assert response.status_code == 400
    body = response.content.decode()
    assert f"{label}：" in body and "1999x" in body
    assert f'href="{url}"' in body  # back to the page without it (and without the page number)


@pytest.mark.parametrize(("url_name", "name", "label", "who"), PAGES)
def test_the_page_opens_without_it(world, login, url_name, name, label, who):
    assert login(getattr(world, who)).get(reverse(url_name)).status_code == 200


def test_good_values_still_choose(world, login):
    client = login(world.street_user)
    assert client.get(reverse("residents:conflict-list"), {"status": "all"}).context["shown"] == "all"
    assert client.get(reverse("staff:secondment-list"), {"state": "open"}).status_code == 200
    assert client.get(reverse("ledgers:burden"), {"year": "2025"}).context["year"] == 2025
