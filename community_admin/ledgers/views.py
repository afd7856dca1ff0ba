from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View

from community_admin.accounts import scoping
from community_admin.accounts.models import Role
from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission
from community_admin.core.exporters import export_response
from community_admin.core.views import action_submit, errors_into_form, form_submit, paginate, query_year
from community_admin.ledgers import periods, selectors, services
from community_admin.ledgers.derived import DERIVATIONS
from community_admin.ledgers.exporters import layout_headers, manual_rows
from community_admin.ledgers.forms import BookForm, EntryForm, ImportForm, ReopenForm
from community_admin.ledgers.jobs import BOOK_EXPORT
from community_admin.ledgers.models import LedgerBook, LedgerCategory

ERR_EXPORT_TOO_BIG = "单个社区一次最多直接导出 {limit} 行，请使用“后台导出”。"
EXPORT_MAX_ROWS = 50_000


def _book(request, pk) -> LedgerBook:
    return scoping.get_in_scope_or_404(selectors.book_list(request.user), request.user, pk=pk)


def _committee(request, book):
    """The committee chosen by `?committee=CODE` among those the user sees (default: the first one)."""
    committees = selectors.book_committees(request.user, book)
    code = request.GET.get("committee") or request.POST.get("committee")
    committee = committees.filter(code=code).first() if code else committees.first()
    if committee is None:
        raise Http404
    return committee


def _period_key(request, book) -> str:
    try:
        return periods.clean_key(
            book, request.GET.get("period") or request.POST.get("period"), today=timezone.localdate()
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return periods.current_key(book.period, timezone.localdate())


def _book_url(book, committee, key) -> str:
    return f"{reverse('ledgers:book-detail', args=[book.pk])}?committee={committee.code}&period={key}"


class BookListView(PermissionRequiredMixin, View):
    required_permission = "ledgers.view"

    def get(self, request):
        books = list(selectors.book_list(request.user))
        categories = []
        for category in LedgerCategory.objects.filter(books__in=books).distinct():
            categories.append((category, [b for b in books if b.category_id == category.pk]))
        return render(
            request,
            "ledgers/book_list.html",
            {
                "categories": categories,
                "book_count": len(books),
                "derived_count": sum(b.is_derived for b in books),
                "can_edit": has_permission(request.user, "ledgers.catalogue"),
            },
        )


class BookDetailView(PermissionRequiredMixin, View):
    """One committee's copy of a book for one period: the registry's rows, or the typed entries with the form."""

    required_permission = "ledgers.view"
    paginate_by = 50

    def get(self, request, pk):
        book = _book(request, pk)
        return self.render(request, book, _committee(request, book), _period_key(request, book))

    def render(self, request, book, committee, key, *, form=None, status=200):
        user = request.user
        today = timezone.localdate()
        context = {
            "book": book,
            "committee": committee,
            "committees": selectors.book_committees(user, book),
            "key": key,
            "period_label": periods.label(book.period, key),
            "period_keys": [
                (k, periods.label(book.period, k)) for k in periods.recent_keys(book.period, today)
            ],
            "can_export": has_permission(user, "ledgers.export"),
            "export_kind": BOOK_EXPORT,
            "export_params": {"book": book.code, **({} if book.is_derived else {"period": key})},
            # the page links name the copy shown, also when it is shown again after a refused entry (a POST)
            "query": urlencode({"committee": committee.code, "period": key}),
        }
        if book.is_derived:
            derivation = DERIVATIONS[book.derived_key]
            values = derivation.values(selectors.derived_base(user, book, committee), today)
            page = paginate(request, values, self.paginate_by)["page"]
            context.update(
                headers=derivation.headers,
                page=page,
                rows=[derivation.row_of(v, today) for v in page],
                restricted=derivation.sensitive and not selectors.can_see_sensitive(user, book),
            )
        else:
            period = selectors.find_period(book, committee, key)
            entries = selectors.book_entries(user, book, committee, key).order_by("id")
            page = paginate(request, entries, self.paginate_by)["page"]
            page_entries = list(page)
            rows = manual_rows(entries.filter(pk__in=[e.pk for e in page_entries]), book)
            closed = bool(period and period.closed)
            context.update(
                headers=layout_headers(book)[1:],
                page=page,
                entry_rows=list(zip(page_entries, rows, strict=True)),
                period=period,
                closed=closed,
                can_keep=has_permission(user, "ledgers.keep") and not closed,
                can_close=has_permission(user, "ledgers.close") and not closed and book.period != "none",
                can_reopen=has_permission(user, "ledgers.reopen") and closed,
                form=form or EntryForm(book=book),
                reopen_form=ReopenForm(),
            )
        return render(request, "ledgers/book_detail.html", context, status=status)


def _entry_data(request, form, book, committee) -> dict:
    """The form's values as entry data, person fields resolved to ids (a ValidationError naming the fields
    that do not resolve)."""
    data, errors = {}, {}
    for column in book.columns:
        value = form.cleaned_data.get(column["key"])
        if column["type"] == "person" and value:
            try:
                value = selectors.find_linkable_person(request.user, committee, value)
            except ValueError as exc:
                errors[column["key"]] = str(exc)
                continue
        data[column["key"]] = value
    if errors:
        raise ValidationError(errors)
    return data


class EntryCreateView(PermissionRequiredMixin, View):
    required_permission = "ledgers.keep"

    def post(self, request, pk):
        book = _book(request, pk)
        committee = _committee(request, book)
        key = request.POST.get("period", "")
        form = EntryForm(request.POST, book=book)
        return form_submit(
            request,
            form,
            lambda _: services.entry_create(
                actor=request.user,
                book=book,
                committee=committee,
                period_key=key,
                data=_entry_data(request, form, book, committee),
            ),
            invalid=lambda form: BookDetailView().render(request, book, committee, key, form=form),
            success_url=_book_url(book, committee, key),
            success_message="已登记。",
        )


def _entry(request, pk):
    return scoping.get_in_scope_or_404(selectors.entry_list(request.user), request.user, pk=pk)


class EntryDetailView(PermissionRequiredMixin, View):
    """An entry with its history; committee and street staff change it while its period is open."""

    required_permission = "ledgers.view"

    def get(self, request, pk):
        entry = _entry(request, pk)
        return self.render(request, entry, EntryForm(initial=self._initial(entry), book=entry.period.book))

    @staticmethod
    def _initial(entry) -> dict:
        labels = selectors.person_labels(entry.data.values())
        initial = {}
        for column in entry.period.book.columns:
            value = entry.data.get(column["key"])
            if column["type"] == "person" and value is not None:
                value = labels.get(value, "").split("（")[0]
            initial[column["key"]] = value
        return initial

    def render(self, request, entry, form, status=200):
        book = entry.period.book
        history = list(selectors.entry_history(entry))
        labels = selectors.person_labels(v for r in history for v in r.data.values())
        columns = {c["key"]: c for c in book.columns}
        for revision in history:
            revision.shown = [
                (columns[k]["label"], labels.get(v, v) if columns[k]["type"] == "person" else v)
                for k, v in revision.data.items()
                if k in columns
            ]
        return render(
            request,
            "ledgers/entry_detail.html",
            {
                "entry": entry,
                "book": book,
                "form": form,
                "history": history,
                "period_label": periods.label(book.period, entry.period.key),
                "can_keep": has_permission(request.user, "ledgers.keep") and not entry.period.closed,
            },
            status=status,
        )


class EntryUpdateView(PermissionRequiredMixin, View):
    required_permission = "ledgers.keep"

    def post(self, request, pk):
        entry = _entry(request, pk)
        book, committee = entry.period.book, entry.period.committee
        form = EntryForm(request.POST, book=book)
        return form_submit(
            request,
            form,
            lambda _: services.entry_update(
                actor=request.user, entry=entry, data=_entry_data(request, form, book, committee)
            ),
            invalid=lambda form: EntryDetailView().render(request, entry, form),
            success_url=_book_url(book, committee, entry.period.key),
            success_message="已保存。",
        )


class EntryRemoveView(PermissionRequiredMixin, View):
    required_permission = "ledgers.keep"

    def post(self, request, pk):
        entry = _entry(request, pk)
        return action_submit(
            request,
            lambda data: services.entry_remove(actor=request.user, entry=entry),
            back=_book_url(entry.period.book, entry.period.committee, entry.period.key),
            success_message="已删除（变更记录保留）。",
        )


class PeriodCloseView(PermissionRequiredMixin, View):
    required_permission = "ledgers.close"

    def post(self, request, pk):
        book = _book(request, pk)
        committee = _committee(request, book)
        key = request.POST.get("period", "")
        return action_submit(
            request,
            lambda data: services.period_close(
                actor=request.user, book=book, committee=committee, period_key=key
            ),
            back=_book_url(book, committee, key),
            success_url=lambda period: _book_url(book, committee, period.key),
            success_message=lambda period: f"{periods.label(book.period, period.key)}已关账，条目已锁定。",
        )


class PeriodReopenView(PermissionRequiredMixin, View):
    required_permission = "ledgers.reopen"

    def post(self, request, pk):
        period = scoping.get_in_scope_or_404(selectors.period_list(request.user), request.user, pk=pk)
        return action_submit(
            request,
            lambda data: services.period_reopen(actor=request.user, period=period, **data),
            form=ReopenForm(request.POST),
            back=_book_url(period.book, period.committee, period.key),
            success_message="已重新开账（已记入审计日志）。",
        )


class BookExportView(PermissionRequiredMixin, View):
    """One committee's copy, for one period, as a file now; the whole district goes through a job."""

    required_permission = "ledgers.export"

    def get(self, request, pk):
        book = _book(request, pk)
        committee = _committee(request, book)
        key = "" if book.is_derived else _period_key(request, book)
        committees = selectors.book_committees(request.user, book).filter(pk=committee.pk)
        export = services.book_export(actor=request.user, book=book, committees=committees, period_key=key)
        return export_response(export)


class BookImportView(PermissionRequiredMixin, View):
    required_permission = "ledgers.keep"

    def get(self, request, pk):
        book = _book(request, pk)
        if book.is_derived:
            raise Http404
        committee = _committee(request, book)
        return self.render(request, book, committee, _period_key(request, book), ImportForm())

    def post(self, request, pk):
        book = _book(request, pk)
        if book.is_derived:
            raise Http404
        committee = _committee(request, book)
        key = request.POST.get("period", "")
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, book, committee, key, form, status=400)
        try:
            result = services.entries_import(
                actor=request.user,
                book=book,
                committee=committee,
                file=form.cleaned_data["file"],
                file_name=form.cleaned_data["file"].name,
                period_key=key,
            )
        except ValidationError as exc:
            errors_into_form(form, exc)
            return self.render(request, book, committee, key, form, status=400)
        return self.render(
            request, book, committee, key, form, result=result, status=400 if result.errors else 200
        )

    def render(self, request, book, committee, key, form, *, result=None, status=200):
        return render(
            request,
            "ledgers/import.html",
            {
                "book": book,
                "committee": committee,
                "key": key,
                "period_label": periods.label(book.period, key),
                "form": form,
                "result": result,
            },
            status=status,
        )


class BookEditView(PermissionRequiredMixin, View):
    """The bureau edits the catalogue: owner, period, columns, whether the book is kept."""

    required_permission = "ledgers.catalogue"

    def get(self, request, pk):
        book = scoping.get_in_scope_or_404(selectors.catalogue(request.user), request.user, pk=pk)
        return render(request, "ledgers/book_edit.html", {"book": book, "form": BookForm(instance=book)})

    def post(self, request, pk):
        book = scoping.get_in_scope_or_404(selectors.catalogue(request.user), request.user, pk=pk)
        form = BookForm(request.POST, instance=LedgerBook.objects.get(pk=book.pk))

        def update(data):
            changes = {f: data[f] for f in form.changed_data}
            if "columns" in changes and changes["columns"] is None:
                changes["columns"] = []
            services.book_update(actor=request.user, book=book, changes=changes)

        return form_submit(
            request,
            form,
            update,
            invalid=lambda form: render(request, "ledgers/book_edit.html", {"book": book, "form": form}),
            success_url=reverse("ledgers:book-list"),
            success_message="台账已更新。",
        )


class BurdenView(PermissionRequiredMixin, View):
    """The report's "15 categories, 40+ books" measured per committee."""

    required_permission = "ledgers.view"

    def get(self, request):
        year = query_year(request, default=timezone.localdate().year)
        rows = selectors.committee_burden(request.user, year=year)
        return render(
            request,
            "ledgers/burden.html",
            {
                "rows": rows,
                "year": year,
                "typed": sum(r.entries_typed for r in rows),
                "filled": sum(r.registry_rows for r in rows),
                "is_department": request.user.role == Role.DEPARTMENT,
            },
        )
