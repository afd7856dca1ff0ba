"""Books the registry already answers. Each is a filter over `residents.selectors.person_list(user)`: a live
view, never a copy, so no entry is typed twice. Rows carry masked ID numbers only, also inside the numbers that
embed one (the disability certificate, the residence permit)."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

from django.db.models import Q, QuerySet

from community_admin.core import idnumbers
from community_admin.residents import selectors as registry
from community_admin.residents.models import Person

# Childbearing age in family-planning statistics: 15 to 49 full years.
CHILDBEARING_AGE = (15, 49)

BASE_FIELDS = (
    "id",
    "name",
    "id_number",
    "sex",
    "birth_date",
    "phone",
    "household__number",
    "household__building",
    "household__unit",
    "household__room",
)
BASE_HEADERS = ["姓名", "公民身份号码", "性别", "出生日期", "年龄", "户编号", "门牌地址", "联系电话"]


@cache
def _labels() -> tuple[dict[str, str], dict[str, str]]:
    """Sex and marital-status labels as plain strings (the model's are lazy; Excel cells need str)."""
    return (
        {k: str(v) for k, v in Person.Sex.choices},
        {k: str(v) for k, v in Person.Marital.choices if k},
    )


@dataclass(frozen=True)
class Derivation:
    key: str
    label: str
    condition: Callable[[date], Q]  # which active persons, as of a day
    extra_fields: tuple[str, ...] = ()
    extra_headers: tuple[str, ...] = ()
    sensitive: bool = (
        False  # shows disability or minimum-allowance data (residents.selectors.SENSITIVE_FIELDS)
    )

    @property
    def headers(self) -> list[str]:
        return [*BASE_HEADERS, *self.extra_headers]

    def queryset(self, persons: QuerySet[Person], today: date) -> QuerySet[Person]:
        return persons.filter(self.condition(today), status__in=Person.ACTIVE_STATUSES)

    @property
    def fields(self) -> tuple[str, ...]:
        return (*BASE_FIELDS, *self.extra_fields)

    def values(self, persons: QuerySet[Person], today: date) -> QuerySet:
        return self.queryset(persons, today).order_by("household__number", "id").values_list(*self.fields)

    def rows(self, persons: QuerySet[Person], today: date, *, chunk_size: int = 5000) -> Iterator[list]:
        """Plain rows in the book's layout, streamed: values only, no model instances."""
        row_of = self.row_of
        for values in self.values(persons, today).iterator(chunk_size=chunk_size):
            yield row_of(values, today)

    def row_of(self, values: tuple, today: date) -> list:
        _, name, number, sex, born, phone, household, building, unit, room = values[:10]
        sexes, marital = _labels()
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        address = f"{building}{unit}单元{room}" if unit else f"{building}{room}"
        return [
            name,
            idnumbers.mask(number),
            sexes.get(sex, ""),
            born,
            age,
            household,
            address,
            phone,
            *(_show(f, v, marital) for f, v in zip(self.extra_fields, values[10:], strict=True)),
        ]


def _show(field: str, value, marital: dict[str, str]):
    if field in Person.ID_BEARING_FIELDS:  # the disability certificate is the ID number and two digits
        return idnumbers.mask_embedded(value)
    if isinstance(value, bool):
        return "是" if value else ""
    if isinstance(value, str) and value in marital:
        return marital[value]
    return "" if value is None else value


def _born_by(today: date, age: int) -> date:
    latest, _ = registry.birth_date_bounds(age_min=age, age_max=None, today=today)
    return latest


def _childbearing(today: date) -> Q:
    latest, earliest = registry.birth_date_bounds(
        age_min=CHILDBEARING_AGE[0], age_max=CHILDBEARING_AGE[1], today=today
    )
    return Q(
        sex=Person.Sex.FEMALE,
        marital_status=Person.Marital.MARRIED,
        birth_date__lte=latest,
        birth_date__gt=earliest,
    )


DERIVATIONS: dict[str, Derivation] = {
    d.key: d
    for d in (
        Derivation(
            "disabled_persons",
            "持残疾证人员",
            lambda today: ~Q(disability_certificate=""),
            ("disability_certificate", "disability_level"),
            ("残疾证号", "残疾等级"),
            sensitive=True,
        ),
        Derivation(
            "minimum_allowance",
            "低保对象",
            lambda today: Q(minimum_allowance=True),
            ("minimum_allowance",),
            ("低保",),
            sensitive=True,
        ),
        Derivation(
            "childbearing_women",
            "已婚育龄妇女（15–49 岁）",
            _childbearing,
            ("marital_status",),
            ("婚姻状况",),
        ),
        Derivation(
            "floating_population",
            "流动人口",
            lambda today: Q(status=Person.Status.FLOATING),
            ("residence_permit_number", "residence_permit_issued_on", "residence_permit_valid_until"),
            ("居住证号码", "居住证签发日期", "居住证有效期至"),
        ),
        Derivation("elderly_60", "60 岁以上老年人", lambda today: Q(birth_date__lte=_born_by(today, 60))),
        Derivation("elderly_80", "80 岁以上高龄老人", lambda today: Q(birth_date__lte=_born_by(today, 80))),
        Derivation("veterans", "退役军人", lambda today: Q(veteran=True)),
        Derivation("party_members", "党员", lambda today: Q(party_member=True)),
        Derivation("registered_unemployed", "登记失业人员", lambda today: Q(registered_unemployed=True)),
    )
}
