"""The machinery of the bad-input sweep (tests/security/test_bad_input.py): the bad values, the watch on what
a request writes, the API operations read from the OpenAPI schema, and the forms read from rendered pages.

Nothing here names an endpoint or a form: a new API operation is found in the schema and a new form on its page.
What the sweep needs to know per name is only how to make a *valid* value for a field it has not seen before
(FIELD_DEFAULTS, by field name), so that one bad field at a time is what the answer is about."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser

from django.db import connection, transaction

# ---------------------------------------------------------------------------------------------- the values

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
MALICIOUS = {
    "html-script": SCRIPT,
    "html-attr": IMG,
    "sql": "'; DROP TABLE residents_person; --",
    "path": "../../etc/passwd",
    "nul": "a\x00b",
    "rtl": "abc\u202egpj.exe",
}
# What must never reach a page or a JSON answer unescaped: the markup the two HTML payloads carry.
RAW_MARKUP = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
OVERSIZED_TEXT = "长" * 10_000
HUGE_INT = 10**30
LONG_LIST = 10_000


@dataclass(frozen=True)
class Bad:
    """One value for one field. `reject`: any answer but a refusal naming the field is a bug. Otherwise the
    value may be accepted (a free-text field may hold `<script>`), but must then come back escaped."""

    label: str
    value: object
    reject: bool
    missing: bool = False


def _text_values(max_length: int | None) -> list[Bad]:
    values = [Bad(f"malicious:{k}", v, reject=False) for k, v in MALICIOUS.items() if k != "nul"]
    # NUL cannot be stored in PostgreSQL text; accepting it is a 500 there: it must be refused.
    values.append(Bad("malicious:nul", MALICIOUS["nul"], reject=True))
    too_long = "长" * (max_length + 1) if max_length is not None else OVERSIZED_TEXT
    values.append(Bad(f"oversized:{len(too_long)}", too_long, reject=True))
    return values


def api_values(schema: dict, *, required: bool, json_body: bool) -> list[Bad]:
    """The bad values for one request-body field of the OpenAPI schema (resolved: type, format, enum...)."""
    kind = schema.get("type")
    fmt = schema.get("format")
    values = [
        Bad("missing", None, reject=required, missing=True),
        Bad("empty", "", reject=required and kind != "string"),
    ]
    if json_body:
        values.append(Bad("null", None, reject=not schema.get("nullable", False) and required))
    sql = MALICIOUS["sql"]
    if "enum" in schema:
        values += [
            Bad("not-a-choice", "no-such-choice", reject=True),
            Bad("malicious:html", SCRIPT, reject=True),
        ]
        values.append(Bad("malicious:sql", sql, reject=True))
    elif kind == "string" and fmt == "binary":
        values += [Bad("not-a-file", "plain text", reject=True)]
    elif kind == "string" and fmt == "date":
        values += [
            Bad("invalid-date", "2024-13-45", reject=True),
            Bad("not-a-date", "yesterday", reject=True),
            Bad("year-99999", "99999-01-01", reject=True),
            Bad("malicious:sql", sql, reject=True),
        ]
    elif kind == "string" and fmt == "decimal":
        values += [
            Bad("not-a-number", "abc", reject=True),
            Bad("nan", "NaN", reject=True),
            Bad("infinity", "Infinity", reject=True),
            Bad("huge", "9" * 40, reject=True),
            Bad("exponent", "1e999", reject=True),
            Bad("malicious:sql", sql, reject=True),
        ]
    elif kind == "string":
        values += _text_values(schema.get("maxLength"))
    elif kind == "integer":
        values += [
            Bad("not-a-number", "abc", reject=True),
            Bad("huge", HUGE_INT if json_body else str(HUGE_INT), reject=True),
            Bad("huge-negative", -HUGE_INT if json_body else str(-HUGE_INT), reject=True),
            Bad("fraction", 1.5 if json_body else "1.5", reject=True),
            Bad("malicious:sql", sql, reject=True),
        ]
    elif kind == "number":
        values += [Bad("not-a-number", "abc", reject=True), Bad("malicious:sql", sql, reject=True)]
    elif kind == "boolean":
        values += [Bad("not-a-boolean", "maybe", reject=True), Bad("malicious:sql", sql, reject=True)]
    elif kind == "array":
        item = "x" if (schema.get("items") or {}).get("type") == "string" else 987654321
        values += [Bad(f"long-list:{LONG_LIST}", [item] * LONG_LIST, reject=True)]
        if json_body:
            values += [
                Bad("scalar-for-list", "abc", reject=True),
                Bad("objects-in-list", [{}, {}], reject=True),
            ]
    elif kind == "object" and json_body:
        values += [
            Bad("list-for-object", [1, 2], reject=True),
            Bad("string-for-object", "abc", reject=True),
            Bad("malicious:html", {SCRIPT: SCRIPT, "k": IMG}, reject=False),
            Bad("malicious:nul", {"k": MALICIOUS["nul"]}, reject=True),
            Bad(f"huge-object:{LONG_LIST}", {f"k{i}": i for i in range(LONG_LIST)}, reject=True),
        ]
    if json_body and kind in ("string", "integer", "number", "boolean") and fmt != "binary":
        values += [
            Bad("object-for-scalar", {"a": 1}, reject=True),
            Bad("list-for-scalar", [1, 2], reject=True),
        ]
    return values


# ------------------------------------------------------------------------------------- what a request writes

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
IGNORED_TABLES = {"django_session"}  # the session middleware stamps the last activity on every request
AUDIT_TABLE = "core_auditlog"
# bookkeeping a request may stamp whatever it carries: a token's last use
BOOKKEEPING = {"accounts_apitoken": {"last_used_at"}}


class WriteWatch:
    """Records the tables a block of code sends INSERT/UPDATE/DELETE to (whether or not it is rolled back)."""

    def __init__(self):
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        m = WRITE.match(sql)
        if m and m.group(1) not in IGNORED_TABLES:
            self.tables.add(m.group(1))
        return execute(sql, params, many, context)


def all_tables() -> list[str]:
    return sorted(t for t in connection.introspection.table_names() if t not in IGNORED_TABLES)


def fingerprint(tables) -> dict[str, str]:
    """A digest of every row of each table. The audit log is append-only and records denials and refusals:
    only its successful rows (result 'ok') count as a write."""
    out = {}
    with connection.cursor() as cursor:
        for table in tables:
            qn = connection.ops.quote_name(table)
            where = " WHERE result = 'ok'" if table == AUDIT_TABLE else ""
            columns = "*"
            if table in BOOKKEEPING:
                described = connection.introspection.get_table_description(cursor, table)
                kept = [c.name for c in described if c.name not in BOOKKEEPING[table]]
                columns = ", ".join(connection.ops.quote_name(c) for c in kept)
            cursor.execute(f"SELECT {columns} FROM {qn}{where}")  # noqa: S608 - names from introspection
            rows = sorted(repr(r) for r in cursor.fetchall())
            out[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return out


@dataclass
class Outcome:
    response: object
    written: set[str] = field(default_factory=set)  # tables whose content differs from the baseline
    touched: set[str] = field(default_factory=set)  # tables a write statement was sent to


@contextmanager
def rolled_back(baseline: dict[str, str]) -> Iterator[Outcome]:
    """Run a request in a savepoint that is always rolled back, so every request meets the same database; the
    outcome says which tables it changed (compared with `baseline`), checked before the rollback."""
    watch = WriteWatch()
    outcome = Outcome(response=None)
    with transaction.atomic():
        with connection.execute_wrapper(watch):
            yield outcome
        outcome.touched = set(watch.tables)
        if watch.tables:
            try:
                now = fingerprint(sorted(watch.tables & set(baseline)))
            except (
                Exception
            ):  # a broken transaction (PostgreSQL) after a failed request: the rollback repairs it
                now = {}
            outcome.written = {t for t, digest in now.items() if digest != baseline[t]}
        transaction.set_rollback(True)


# ------------------------------------------------------------------------------------------- answers


def json_keys(payload) -> set[str]:
    keys: set[str] = set()
    if isinstance(payload, dict):
        for k, v in payload.items():
            keys.add(str(k))
            keys |= json_keys(v)
    elif isinstance(payload, list):
        for v in payload:
            keys |= json_keys(v)
    return keys


def unescaped_markup(body: str) -> list[str]:
    return [m for m in RAW_MARKUP if m in body]


def today() -> str:
    return date.today().isoformat()


def soon(days: int = 30) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


# --------------------------------------------------------------------------------------------- forms


@dataclass
class FormField:
    name: str
    tag: str  # input | select | textarea
    type: str = "text"
    value: str = ""
    options: list[str] = field(default_factory=list)
    required: bool = False
    maxlength: int | None = None
    multiple: bool = False


@dataclass
class Form:
    action: str
    enctype: str
    fields: dict[str, FormField] = field(default_factory=dict)
    values: dict[str, list[str]] = field(default_factory=dict)  # what the page would send as it is

    @property
    def csrf(self) -> str:
        return (self.values.get("csrfmiddlewaretoken") or [""])[0]


class FormParser(HTMLParser):
    """Every <form method="post"> with its named inputs, selects and textareas and their current values."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: FormField | None = None
        self._option: str | None = None
        self._option_selected = False
        self._textarea: FormField | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(action=a.get("action") or self.page_url, enctype=a.get("enctype", ""))
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            f = form.fields.setdefault(name, FormField(name, "input", kind, a.get("value", "")))
            f.required = f.required or "required" in a
            f.maxlength = int(a["maxlength"]) if a.get("maxlength", "").isdigit() else f.maxlength
            if kind in ("checkbox", "radio"):
                f.options.append(a.get("value", "on"))
                if "checked" in a:
                    form.values.setdefault(name, []).append(a.get("value", "on"))
            elif kind != "file":
                form.values[name] = [a.get("value", "")]
        elif tag == "select" and name:
            self._select = form.fields.setdefault(
                name, FormField(name, "select", "select", multiple="multiple" in a, required="required" in a)
            )
            form.values.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            self._option_selected = "selected" in a
            self._text = []
        elif tag == "textarea" and name:
            self._textarea = form.fields.setdefault(
                name, FormField(name, "textarea", "textarea", required="required" in a)
            )
            ml = a.get("maxlength", "")
            self._textarea.maxlength = int(ml) if ml.isdigit() else None
            self._text = []

    def handle_data(self, data):
        if self._option is not None or self._textarea is not None or self._select is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "option" and self._select is not None:
            value = self._option if self._option is not None else "".join(self._text).strip()
            self._select.options.append(value)
            if self._option_selected:
                self._form.values[self._select.name].append(value)
            self._option = None
        elif tag == "select" and self._select is not None:
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form.values[self._textarea.name] = ["".join(self._text).lstrip("\n")]
            self._textarea = None


def parse_forms(html: str, page_url: str) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    return parser.forms


def invalid_fields(html: str) -> set[str]:
    """Names of the fields a re-rendered Django form marks invalid (`aria-invalid="true"`, Django >= 5.0)."""
    tags = re.findall(r'<(?:input|select|textarea)\b[^>]*?\baria-invalid="true"[^>]*>', html)
    return {m.group(1) for tag in tags if (m := re.search(r'\bname="([^"]+)"', tag))}


def form_values(kind: str, f: FormField) -> list[Bad]:
    """The bad values for one form field, by what its widget says it is."""
    values = [Bad("empty", "", reject=f.required)]
    sql = MALICIOUS["sql"]
    if f.tag == "select" or kind in ("radio",):
        values += [
            Bad("not-a-choice", "no-such-choice", reject=True),
            Bad("malicious:html", SCRIPT, reject=True),
        ]
        values.append(Bad("malicious:sql", sql, reject=True))
    elif kind == "checkbox":
        values.append(Bad("malicious:html", SCRIPT, reject=False))
    elif kind == "number":
        values += [
            Bad("not-a-number", "abc", reject=True),
            Bad("huge", str(HUGE_INT), reject=True),
            Bad("nan", "NaN", reject=True),
            Bad("malicious:sql", sql, reject=True),
        ]
    elif kind == "date":
        values += [
            Bad("invalid-date", "2024-13-45", reject=True),
            Bad("year-99999", "99999-01-01", reject=True),
            Bad("malicious:sql", sql, reject=True),
        ]
    elif kind == "hidden":
        values += [Bad("malicious:html", SCRIPT, reject=False), Bad("malicious:sql", sql, reject=False)]
    else:  # text, textarea, email, tel, search...
        values += _text_values(f.maxlength)
    return values


def json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
