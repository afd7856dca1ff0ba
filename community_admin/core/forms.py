from django import forms


class UnechoedTextInput(forms.TextInput):
    """A typed ID number is not written back into the page."""

    def format_value(self, value):
        return None


class StyledFormMixin:
    """Gives every widget the vendored CSS framework's classes, so templates can render `{{ field }}`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class StyledForm(StyledFormMixin, forms.Form):
    """The form of a filter set (`Meta.form`), styled like the rest of the pages."""
