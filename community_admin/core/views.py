"""The page patterns every app uses: a form handed to a service, and a paginated list.

A form is validated, then the service is called; a Django `ValidationError` from the service goes into the
form (a field's messages on that field, the rest above the form) and the page answers 400 with the form, or the
service succeeded and the page redirects with a success message. A list is a page of its rows with the query
string of the other parameters, for the shared pagination include (`_pagination.html`)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect


def errors_into_form(form, exc: ValidationError) -> None:
    """A service's refusal, where the form shows it: on the field it names when the form has that field,
    otherwise among the form's non-field errors."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def form_submit(
    request,
    form,
    call: Callable[[dict], Any],
    *,
    invalid: Callable[[Any], HttpResponse],
    success_url: str | Callable[[Any], str],
    success_message: str | Callable[[Any], str],
) -> HttpResponse:
    """`call(form.cleaned_data)` once the form is valid (its result is handed to `success_url` and
    `success_message` when they are callables); an invalid form or a refused call answers `invalid(form)`
    with status 400."""
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as exc:
            errors_into_form(form, exc)
        else:
            text = success_message(result) if callable(success_message) else success_message
            messages.success(request, text)
            return redirect(success_url(result) if callable(success_url) else success_url)
    response = invalid(form)
    response.status_code = 400
    return response


def refusal_text(exc: ValidationError, labels: dict[str, str] | None = None) -> str:
    """A refusal as one line for a message: each field's messages, prefixed with the field's label from
    `labels` unless the message names it already ("字段：说明")."""
    if not hasattr(exc, "error_dict"):
        return "；".join(exc.messages)
    parts = []
    for field, errors in exc.message_dict.items():
        label = (labels or {}).get(field, "")
        parts += [e if not label or e.startswith(f"{label}：") else f"{label}：{e}" for e in errors]
    return "；".join(parts)


def action_submit(
    request,
    call: Callable[[dict], Any],
    *,
    back: str,
    success_message: str | Callable[[Any], str],
    form=None,
    success_url: str | Callable[[Any], str] | None = None,
    labels: dict[str, str] | None = None,
) -> HttpResponse:
    """A button on a page (a row's action, with at most a short form: a reason, a note): the form checked,
    then `call(cleaned_data)`. Either way the clerk is back on the page (`back`, or `success_url` after
    success) with a message: what was done, or the refusal naming the field; a refusal writes nothing."""
    if form is not None and not form.is_valid():
        labels = {name: str(field.label) for name, field in form.fields.items()} | (labels or {})
        messages.error(
            request, refusal_text(ValidationError({f: list(e) for f, e in form.errors.items()}), labels)
        )
        return redirect(back)
    try:
        result = call(form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        messages.error(request, refusal_text(exc, labels))
        return redirect(back)
    messages.success(request, success_message(result) if callable(success_message) else success_message)
    target = success_url if success_url is not None else back
    return redirect(target(result) if callable(target) else target)


class FilteredListMixin:
    """A list page (a TemplateView) with its filter form in the context as `form`: a value the form cannot
    read answers 400 with the form's errors (and no rows, which the view gives), never the unfiltered list."""

    def render_to_response(self, context, **response_kwargs):
        form = context.get("form")
        if form is not None and form.is_bound and not form.is_valid():
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)


def query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def paginate(request, rows, per_page: int, *, paginator_class=Paginator, **paginator_kwargs) -> dict:
    """The context of a paginated list: `page` (the requested page, the last for one past the end, the
    first for anything else) and `query` (the other parameters, for the page links)."""
    page = paginator_class(rows, per_page, **paginator_kwargs).get_page(request.GET.get("page"))
    return {"page": page, "query": query_without_page(request)}


# A page's own query parameters (a tab, a year in a link) -------------------------------------------------

ERR_QUERY_CHOICE = "{label}：“{value}”不是可选的值。"
ERR_QUERY_YEAR = "{label}：应为 2000 至 2100 之间的四位年份，收到“{value}”。"


class BadQuery(Exception):
    """A page's query parameter it cannot read: core.middleware.BadQueryMiddleware answers 400 naming it,
    with a link to the page without it, never the page as if the parameter were absent."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name, self.message = name, message


def query_choice(request, name: str, choices, *, label: str, default: str = "") -> str:
    """`?name=` among `choices` (values, or (value, label) pairs); absent or empty is `default`."""
    value = request.GET.get(name, "")
    if value == "":
        return default
    allowed = {c[0] if isinstance(c, tuple | list) else c for c in choices}
    if value not in allowed:
        raise BadQuery(name, ERR_QUERY_CHOICE.format(label=label, value=value[:40]))
    return value


def query_year(request, name: str = "year", *, label: str = "年度", default: int | None = None) -> int | None:
    value = request.GET.get(name, "")
    if value == "":
        return default
    if not (value.isdigit() and len(value) == 4 and 2000 <= int(value) <= 2100):
        raise BadQuery(name, ERR_QUERY_YEAR.format(label=label, value=value[:40]))
    return int(value)
