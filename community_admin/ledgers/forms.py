from django import forms

from community_admin.core import uploads
from community_admin.core.forms import StyledFormMixin
from community_admin.ledgers.models import LedgerBook
from community_admin.org.models import Department

ERR_COLUMNS_JSON = "栏目：不是有效的 JSON。"


class EntryForm(forms.Form):
    """One field per column of the book. The form only carries values: the service checks them against the
    column definitions and its messages are put back on the fields."""

    def __init__(self, *args, book: LedgerBook, **kwargs):
        super().__init__(*args, **kwargs)
        for column in book.columns:
            label = column["label"] + (" *" if column.get("required") else "")
            kind = column["type"]
            if kind == "date":
                field = forms.CharField(
                    label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
                )
            elif kind == "number":
                field = forms.CharField(
                    label=label, required=False, widget=forms.NumberInput(attrs={"step": "any"})
                )
            elif kind == "choice":
                field = forms.ChoiceField(
                    label=label, required=False, choices=[("", "—"), *[(c, c) for c in column["choices"]]]
                )
            elif kind == "person":
                field = forms.CharField(label=label, required=False, help_text="公民身份号码或姓名（本社区）")
            else:
                field = forms.CharField(
                    label=label, required=False, max_length=column.get("max_length") or 200
                )
            self.fields[column["key"]] = field
        self.book = book
        self.order_fields([c["key"] for c in book.columns])
        # The mixin styled the form's fields before these were added.
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css


class ReopenForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="重新开账原因", max_length=200, error_messages={"required": "重新开账须说明原因。"}
    )


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx，本台账导出的版式）")

    def clean_file(self):
        file = self.cleaned_data["file"]
        uploads.check_workbook(file)
        return file


class BookForm(StyledFormMixin, forms.ModelForm):
    """The bureau's edit of a catalogue book; the service validates the whole book again."""

    columns = forms.JSONField(label="栏目（JSON）", required=False, widget=forms.Textarea(attrs={"rows": 12}))

    class Meta:
        model = LedgerBook
        fields = [
            "name",
            "owner_department",
            "owner_police_station",
            "period",
            "columns",
            "source_document",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_department"].queryset = Department.objects.order_by("code")
        self.fields["owner_department"].required = False

    def _post_clean(self):
        # The model's rules are the service's to check (book_update), with its messages.
        pass
