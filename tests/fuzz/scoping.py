"""The scoping check run on every fuzzed response: nothing outside the role's committees may appear in it.

A response is walked as JSON (text bodies: JSON, CSV; spreadsheets: their XML parts; PDFs are skipped, they
are only ever made of one in-scope object):
- any `committee`, `committee_code`, `scope_committee` field (a code or an id), or list under `committees`,
  must name a committee of the role's;
- any `street` / `scope_street` code or street name must be the role's street(s);
- the objects a response is about (a list's items, a detail's body) must not carry an id known to belong to an
  out-of-scope committee, nor may an `id`-bearing field naming such an object (`person`, `household`, `worker`…);
- no name, ID number, household number, serial or title planted in an out-of-scope committee may appear
  anywhere in the body.
"""

import html
import io
import json
import zipfile

from tests.fuzz.world import FuzzWorld, path_kind

# response field -> the kind of object an integer (or {"id": …}) in it names
ID_FIELDS = {
    "person": "person",
    "person_id": "person",
    "household": "household",
    "household_id": "household",
    "worker": "worker",
    "worker_id": "worker",
    "activity": "activity",
    "volunteer": "volunteer",
    "organisation": "organisation",
    "visit": "visit",
    "task": "task",
    "certificate": "certificate",
    "allocation": "allocation",
    "disbursement": "disbursement",
    "payroll": "payroll",
    "secondment": "secondment",
}
COMMITTEE_FIELDS = {"committee", "committee_id", "committee_code", "scope_committee"}
STREET_FIELDS = {"street", "street_code", "scope_street", "host_street"}


def body_text(content: bytes, content_type: str) -> str | None:
    """The text a body shows a reader, or None for formats not searched (PDF, images)."""
    content_type = (content_type or "").split(";")[0].strip()
    if content_type.startswith("application/vnd.openxmlformats") or content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                # openpyxl writes non-ASCII text as character references (&#26426;…)
                return "\n".join(
                    html.unescape(archive.read(name).decode("utf-8", "replace"))
                    for name in archive.namelist()
                    if name.endswith(".xml")
                )
        except zipfile.BadZipFile:
            return None
    if content_type.startswith(("application/pdf", "image/")):
        return None
    return content.decode("utf-8", "replace")


def scope_problems(
    fuzz: FuzzWorld, role: str, method: str, path: str, content: bytes, content_type: str
) -> list:
    """What in this response lies outside `role`'s scope (empty: nothing)."""
    problems = []
    text = body_text(content, content_type)
    if text is None:
        return problems
    for planted in fuzz.forbidden_strings(role):
        if planted in text:
            problems.append(f"planted out-of-scope text {planted!r}")
    try:
        data = json.loads(text)
    except ValueError:
        return problems

    codes = fuzz.forbidden_codes(role)
    committee_ids = {fuzz.committee_ids[c] for c in codes}
    streets = fuzz.forbidden_streets(role)
    street_names = {fuzz.world.street_b.name} if "B" in streets else set()
    forbidden = {kind: fuzz.forbidden_ids(kind, role) for kind in set(ID_FIELDS.values())}

    def committee_value(where, value):
        if isinstance(value, dict):
            value = value.get("id", value.get("code"))
        if isinstance(value, bool):
            return
        if (isinstance(value, str) and value in codes) or (isinstance(value, int) and value in committee_ids):
            problems.append(f"{where} names out-of-scope committee {value!r}")

    def walk(node, where):
        if isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{where}[{i}]")
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            here = f"{where}.{key}"
            if key in COMMITTEE_FIELDS:
                committee_value(here, value)
            elif key == "committees" and isinstance(value, list):
                for i, item in enumerate(value):
                    committee_value(f"{here}[{i}]", item)
            elif key in STREET_FIELDS:
                street = value.get("code") if isinstance(value, dict) else value
                if street in streets or street in street_names:
                    problems.append(f"{here} names out-of-scope street {street!r}")
            elif key in ID_FIELDS:
                pk = value.get("id") if isinstance(value, dict) else value
                if isinstance(pk, int) and not isinstance(pk, bool) and pk in forbidden[ID_FIELDS[key]]:
                    problems.append(f"{here} = {pk}: a {ID_FIELDS[key]} of an out-of-scope committee")
            walk(value, here)

    walk(data, "$")

    # The objects the response is about: a list's items or a detail's body, for the collection and detail
    # operations (an action's answer, e.g. hours logged on an activity, is another kind of object).
    kind = path_kind(path)
    rest = path.removeprefix("/api/v1/").strip("/").split("/")
    is_detail = rest[-1] == "{id}" or (rest[-1].isdigit() and method == "GET")
    is_collection = method == "GET" and "{id}" not in rest and not rest[-1].isdigit()
    if kind is not None and (is_detail or is_collection):
        items = data.get("results", [data]) if isinstance(data, dict) else data
        forbidden_kind = fuzz.forbidden_ids(kind, role)
        for item in items if isinstance(items, list) else []:
            pk = item.get("id") if isinstance(item, dict) else None
            if isinstance(pk, int) and pk in forbidden_kind:
                problems.append(f"the response holds {kind} {pk}, of an out-of-scope committee")
    return problems
