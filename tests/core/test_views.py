"""The page pattern (core/views.py): a service's refusal goes into the form and the page answers 400."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from community_admin.core.views import action_submit, errors_into_form, form_submit, paginate, refusal_text


class NameForm(forms.Form):
    name = forms.CharField()


def _request(path="/", data=None):
    request = RequestFactory().post(path, data or {})
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _submit(request, form, call):
    return form_submit(
        request,
        form,
        call,
        invalid=lambda form: HttpResponse(str(form.errors.get_json_data())),
        success_url=lambda result: f"/done/{result}/",
        success_message=lambda result: f"已办理 {result}",
    )


def test_a_field_error_lands_on_its_field_and_the_rest_above_the_form():
    form = NameForm({"name": "张三"})
    assert form.is_valid()
    errors_into_form(
        form, ValidationError({"name": "重名。", "committee": "不在辖区。", NON_FIELD_ERRORS: "总"})
    )
    assert form.errors["name"] == ["重名。"]
    assert form.non_field_errors() == ["不在辖区。", "总"]


def test_a_message_without_a_field_is_a_non_field_error():
    form = NameForm({"name": "张三"})
    form.is_valid()
    errors_into_form(form, ValidationError(["一", "二"]))
    assert form.non_field_errors() == ["一", "二"] and "name" not in form.errors


def test_a_refused_service_answers_400_with_the_form():
    def refuse(data):
        raise ValidationError({"name": "重名。"})

    response = _submit(_request(), NameForm({"name": "张三"}), refuse)
    assert response.status_code == 400 and "重名。" in response.content.decode()


def test_an_invalid_form_answers_400_without_calling_the_service():
    called = []
    response = _submit(_request(), NameForm({}), called.append)
    assert response.status_code == 400 and not called


def test_success_redirects_with_the_message():
    request = _request()
    response = _submit(request, NameForm({"name": "张三"}), lambda data: len(data["name"]))
    assert response.status_code == 302 and response["Location"] == "/done/2/"
    assert [str(m) for m in get_messages(request)] == ["已办理 2"]


def test_paginate_keeps_the_other_parameters_for_the_links():
    request = RequestFactory().get("/", {"status": "open", "page": "2", "q": "张"})
    context = paginate(request, list(range(30)), 10)
    assert context["page"].number == 2 and context["query"] == "status=open&q=%E5%BC%A0"
    assert paginate(RequestFactory().get("/", {"page": "x"}), list(range(30)), 10)["page"].number == 1


def test_one_pager_builds_the_page_links_of_every_list():
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR) / "templates"
    builders = {p.relative_to(root).as_posix() for p in root.rglob("*.html") if "page-link" in p.read_text()}
    assert builders == {"_pagination.html"}


def test_the_page_links_keep_the_lists_other_parameters(world, login):
    from django.template.loader import render_to_string
    from django.urls import reverse

    # the secondment list lost its state filter on the next page
    response = login(world.street_user).get(reverse("staff:secondment-list"), {"state": "requested"})
    assert response.status_code == 200 and response.context["query"] == "state=requested"
    page = paginate(RequestFactory().get("/", {"state": "requested"}), list(range(60)), 50)
    html = render_to_string("_pagination.html", page)
    assert 'href="?state=requested&amp;page=2"' in html and "第 1 / 2 页，共 60 条" in html


class ReasonForm(forms.Form):
    reason = forms.CharField(label="拒绝理由", error_messages={"required": "请填写拒绝理由。"})


def test_a_buttons_refusal_comes_back_as_a_message_naming_the_field():
    calls = []
    request = _request()
    response = action_submit(
        request, calls.append, form=ReasonForm({}), back="/item/1/", success_message="已拒绝。"
    )
    assert response.status_code == 302 and response["Location"] == "/item/1/"
    assert [str(m) for m in get_messages(request)] == ["拒绝理由：请填写拒绝理由。"] and not calls


def test_a_buttons_service_refusal_is_labelled_once_and_success_goes_on():
    def refuse(data):
        raise ValidationError({"amount": "金额：超过上限。", "received_on": "晚于今天。"})

    request = _request()
    response = action_submit(
        request,
        refuse,
        back="/list/",
        success_message="x",
        labels={"amount": "金额", "received_on": "到账日期"},
    )
    assert response["Location"] == "/list/"
    assert [str(m) for m in get_messages(request)] == ["金额：超过上限。；到账日期：晚于今天。"]
    request = _request()
    response = action_submit(
        request, lambda data: 7, back="/list/", success_url=lambda n: f"/done/{n}/", success_message="好"
    )
    assert response["Location"] == "/done/7/" and [str(m) for m in get_messages(request)] == ["好"]


def test_refusal_text_without_fields_joins_the_messages():
    assert refusal_text(ValidationError(["一", "二"])) == "一；二"


def test_a_date_field_is_rendered_as_an_iso_date_for_the_date_picker():
    from datetime import date

    class DateForm(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    assert 'value="2024-01-05"' in str(DateForm(initial={"day": date(2024, 1, 5)})["day"])
    assert DateForm({"day": "2024/01/05"}).is_valid()  # what a clerk types is still read
