"""The account pages (issue 16) as each role meets them, and the ways round their rules that must fail."""

import pytest
from django.test import Client
from django.urls import reverse

from community_admin.accounts import lockouts
from community_admin.accounts.models import Role, User
from community_admin.core.models import AuditLog
from tests.factories import PASSWORD, UserFactory

GOOD = "Quiet-harbour-2026"
LIST = reverse("accounts:user-list")
CREATE = reverse("accounts:user-create")


def new_account(unit: str, **overrides) -> dict:
    return {
        "username": "a2-liuyang",
        "first_name": "刘洋",
        "unit": unit,
        "post": "社工",
        "phone": "13900002222",
        "password": GOOD,
        **overrides,
    }


@pytest.fixture
def other_street_clerk(world):
    return UserFactory(
        username="b1-clerk", first_name="王五", role=Role.COMMITTEE, committee=world.committee_b1
    )


@pytest.mark.parametrize("role", [Role.COMMITTEE, Role.DEPARTMENT])
def test_committee_and_department_accounts_reach_no_account_page(world, login, role):
    client = login(world.user(role))
    target = world.committee_user.pk
    for url in (
        LIST,
        CREATE,
        reverse("accounts:user-detail", args=[target]),
        reverse("accounts:user-edit", args=[target]),
    ):
        assert client.get(url).status_code == 403, url
    for name in ("user-deactivate", "user-password-reset", "user-unlock"):
        assert client.post(reverse(f"accounts:{name}", args=[target])).status_code == 403
    assert User.objects.get(pk=target).is_active
    assert AuditLog.objects.filter(action="access.denied", actor=world.user(role)).count() == 7


def test_a_street_opens_an_account_for_its_committee_from_the_page(world, login):
    client = login(world.street_user)
    form = client.get(CREATE).content.decode()
    # the units offered: its own street and its committees, nothing else
    assert "甲二社区居委会" in form and "乙一社区居委会" not in form and "乙街道" not in form
    assert 'value="bureau"' not in form and "甲街派出所" not in form
    response = client.post(CREATE, new_account(f"committee:{world.committee_a2.pk}"))
    user = User.objects.get(username="a2-liuyang")
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:user-detail", args=[user.pk]
    )
    assert (user.role, user.committee, user.must_change_password) == (
        Role.COMMITTEE,
        world.committee_a2,
        True,
    )
    assert GOOD not in str(AuditLog.objects.get(action="user.create").details)


@pytest.mark.parametrize("unit", ["committee_b1", "street_b", "bureau", "police"])
def test_a_street_cannot_open_an_account_elsewhere_by_a_forged_form(world, login, unit):
    value = {
        "committee_b1": f"committee:{world.committee_b1.pk}",
        "street_b": f"street:{world.street_b.pk}",
        "bureau": "bureau",
        "police": f"department:{world.police.pk}",
    }[unit]
    response = login(world.street_user).post(CREATE, new_account(value))
    assert response.status_code == 400
    assert "所属单位：" in response.content.decode()
    assert not User.objects.filter(username="a2-liuyang").exists()


def test_a_weak_initial_password_is_a_400_naming_the_field_and_writes_nothing(world, login):
    response = login(world.street_user).post(
        CREATE, new_account(f"committee:{world.committee_a1.pk}", password="12345678")
    )
    body = response.content.decode()
    assert response.status_code == 400 and "初始密码：" in body
    assert 'name="password"' in body and GOOD not in body and "12345678" not in body  # never echoed
    assert not User.objects.filter(username="a2-liuyang").exists()
    assert not AuditLog.objects.filter(action="user.create").exists()


def test_another_streets_account_is_not_found_by_url(world, login, other_street_clerk):
    client = login(world.street_user)
    pk = other_street_clerk.pk
    assert client.get(reverse("accounts:user-detail", args=[pk])).status_code == 404
    assert client.get(reverse("accounts:user-edit", args=[pk])).status_code == 404
    edited = client.post(
        reverse("accounts:user-edit", args=[pk]), {"first_name": "改名", "phone": "", "post": ""}
    )
    assert edited.status_code == 404
    for name in ("user-deactivate", "user-reactivate", "user-password-reset", "user-unlock"):
        assert client.post(reverse(f"accounts:{name}", args=[pk])).status_code == 404
    # nor the bureau's account
    assert client.get(reverse("accounts:user-detail", args=[world.bureau.pk])).status_code == 404
    other_street_clerk.refresh_from_db()
    assert other_street_clerk.first_name == "王五" and other_street_clerk.is_active
    assert AuditLog.objects.filter(action="access.out_of_scope", actor=world.street_user).exists()


def test_editing_name_phone_and_post(world, login):
    client = login(world.street_user)
    url = reverse("accounts:user-edit", args=[world.committee_user.pk])
    assert client.post(url, {"first_name": " ", "phone": "", "post": ""}).status_code == 400
    response = client.post(url, {"first_name": "张敏", "phone": "0571-8888 1234", "post": "主任"})
    assert response.status_code == 302
    user = User.objects.get(pk=world.committee_user.pk)
    assert (user.first_name, user.phone, user.post) == ("张敏", "0571-8888 1234", "主任")


def test_one_cannot_deactivate_oneself_from_the_page(world, login):
    client = login(world.street_user)
    response = client.post(reverse("accounts:user-deactivate", args=[world.street_user.pk]), follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    assert User.objects.get(pk=world.street_user.pk).is_active
    assert not AuditLog.objects.filter(action="user.deactivate").exists()


def test_a_deactivated_account_cannot_log_in_and_its_session_ends(world, login):
    session = login(world.committee_user)
    people = reverse("residents:person-list")
    assert session.get(people).status_code == 200
    response = login(world.street_user).post(
        reverse("accounts:user-deactivate", args=[world.committee_user.pk])
    )
    assert response.status_code == 302
    assert session.get(people).status_code == 302  # logged out at the next request
    attempt = Client().post(reverse("accounts:login"), {"username": "t-committee", "password": PASSWORD})
    assert attempt.status_code == 200  # the login form again, not home
    assert User.objects.filter(pk=world.committee_user.pk).exists()  # never deleted
    login(world.street_user).post(reverse("accounts:user-reactivate", args=[world.committee_user.pk]))
    attempt = Client().post(reverse("accounts:login"), {"username": "t-committee", "password": PASSWORD})
    assert attempt.status_code == 302


def fail_logins(username: str, times: int = 5) -> None:
    for i in range(times):
        Client(REMOTE_ADDR=f"10.7.0.{i}").post(
            reverse("accounts:login"), {"username": username, "password": "wrong"}
        )


def test_a_locked_account_is_shown_locked_unlocked_and_can_log_in(world, login):
    fail_logins("t-committee")
    assert lockouts.is_locked("t-committee")
    refused = Client(REMOTE_ADDR="10.7.1.1").post(
        reverse("accounts:login"), {"username": "t-committee", "password": PASSWORD}
    )
    assert refused.status_code == 429
    client = login(world.street_user)
    listed = client.get(LIST, {"locked": "true"})
    assert [u.username for u in listed.context["rows"]] == [
        "t-committee"
    ] and "已锁定" in listed.content.decode()
    detail = client.get(reverse("accounts:user-detail", args=[world.committee_user.pk])).content.decode()
    assert 'data-testid="locked"' in detail and "解除登录锁定" in detail
    response = client.post(reverse("accounts:user-unlock", args=[world.committee_user.pk]), follow=True)
    assert "已解除" in response.content.decode()
    assert client.get(LIST, {"locked": "true"}).context["rows"] == []
    attempt = Client(REMOTE_ADDR="10.7.1.1").post(
        reverse("accounts:login"), {"username": "t-committee", "password": PASSWORD}
    )
    assert attempt.status_code == 302 and attempt["Location"] == reverse("home")
    assert AuditLog.objects.get(action="user.unlock").actor == world.street_user


def test_a_reset_password_is_shown_once_and_must_be_changed_at_login(world, login):
    client = login(world.street_user)
    response = client.post(reverse("accounts:user-password-reset", args=[world.committee_user.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    password = response.context["new_password"]
    assert password in response.content.decode()
    assert (
        password
        not in client.get(reverse("accounts:user-detail", args=[world.committee_user.pk])).content.decode()
    )
    assert password not in str(list(AuditLog.objects.values_list("details", flat=True)))

    person = Client()
    logged_in = person.post(reverse("accounts:login"), {"username": "t-committee", "password": password})
    assert logged_in.status_code == 302
    home = person.get(reverse("home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("accounts:password-change"))


def test_the_list_filters_by_role_unit_status_and_name(world, login, other_street_clerk):
    UserFactory(
        username="a2-wang",
        first_name="王芳",
        role=Role.COMMITTEE,
        committee=world.committee_a2,
        is_active=False,
    )
    bureau = login(world.bureau)

    def names(**query):
        response = bureau.get(LIST, query)
        assert response.status_code == 200, response.content[:500]
        return [u.username for u in response.context["rows"]]

    assert names()[0] == "t-bureau"  # the bureau's first, then streets', committees', departments'
    assert names(role="street") == ["t-street"]
    assert set(names(street=world.street_a.pk)) == {"t-street", "t-committee", "a2-wang"}
    assert names(committee=world.committee_b1.pk) == ["b1-clerk"]
    assert names(status="inactive") == ["a2-wang"]
    assert names(q="王") == ["a2-wang", "b1-clerk"]
    assert names(q="t-pol") == ["t-police"]
    street = login(world.street_user)
    assert {u.username for u in street.get(LIST).context["rows"]} == {"t-street", "t-committee", "a2-wang"}
    assert street.get(LIST, {"committee": world.committee_b1.pk}).status_code == 400  # not among its choices


@pytest.mark.parametrize(
    ("name", "value"), [("role", "admin"), ("status", "gone"), ("locked", "maybe"), ("street", "x")]
)
def test_a_filter_value_the_list_cannot_read_is_a_400(world, login, name, value):
    response = login(world.bureau).get(LIST, {name: value})
    assert response.status_code == 400 and response.context["rows"] == []


def test_the_list_reads_in_a_bounded_number_of_queries(world, login, django_assert_max_num_queries):
    for i in range(40):
        committee = (world.committee_a1, world.committee_a2, world.committee_b1)[i % 3]
        UserFactory(
            username=f"clerk-{i}", first_name=f"工作人员{i}", role=Role.COMMITTEE, committee=committee
        )
    client = login(world.bureau)
    client.get(LIST)
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert len(response.context["rows"]) == 44


def test_the_account_page_shows_its_history_and_links_the_bureau_to_its_audit_rows(world, login):
    User.objects.filter(pk=world.street_user.pk).update(first_name="赵街")
    street = login(User.objects.get(pk=world.street_user.pk))
    street.post(
        reverse("accounts:user-edit", args=[world.committee_user.pk]),
        {"first_name": "张敏", "phone": "", "post": ""},
    )
    page = street.get(reverse("accounts:user-detail", args=[world.committee_user.pk])).content.decode()
    assert "修改账号信息" in page and "赵街（甲街道）" in page
    assert 'data-testid="audit-link"' not in page  # the street does not read the audit log
    bureau_page = login(world.bureau).get(reverse("accounts:user-detail", args=[world.committee_user.pk]))
    assert f"?account={world.committee_user.pk}" in bureau_page.content.decode()


def test_the_audit_log_names_the_actor_as_a_person_with_the_unit(world, login):
    User.objects.filter(pk=world.committee_user.pk).update(first_name="张敏")
    login(User.objects.get(pk=world.committee_user.pk)).get(reverse("home"))
    from community_admin.core import audit

    audit.record(
        actor=User.objects.get(pk=world.committee_user.pk),
        action="user.password_change",
        obj=world.committee_user,
    )
    audit.record(actor=world.bureau, action="token.create", obj=world.police)
    client = login(world.bureau)
    page = client.get(reverse("accounts:audit-list"), {"account": world.committee_user.pk})
    body = page.content.decode()
    assert page.status_code == 200 and "张敏（甲一社区居委会）" in body and "本人修改密码" in body
    assert "新建 API 令牌" not in body  # another account's row
    assert (
        "张敏（甲一社区居委会）"
        in client.get(reverse("accounts:audit-list"), {"actor": "张敏"}).content.decode()
    )


def test_the_menu_offers_account_management_to_bureau_and_streets_and_the_password_page_to_all(world, login):
    for role in Role:
        body = login(world.user(role)).get(reverse("accounts:password-change")).content.decode()
        assert reverse("accounts:password-change") in body
        assert ("账号管理" in body) == (role in (Role.BUREAU, Role.STREET)), role


def test_a_units_shared_demo_login_is_named_once(world, login):
    User.objects.filter(pk=world.committee_user.pk).update(first_name="甲一社区居委会")
    shared = User.objects.get(pk=world.committee_user.pk)
    from community_admin.core import audit

    audit.record(actor=shared, action="user.password_change", obj=shared)
    body = login(world.bureau).get(reverse("accounts:audit-list"), {"account": shared.pk}).content.decode()
    assert "甲一社区居委会" in body and "甲一社区居委会（甲一社区居委会）" not in body
    whoami = login(shared).get(reverse("accounts:password-change")).content.decode()
    assert "甲一社区居委会 · 社区居委会</button>" in whoami
