"""Ledger books (台账): a catalogue of categories and books, periods that lock, and the entries of manual books.
A derived book holds no entries: its rows are a live view over the registry (`ledgers.derived`)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community_admin.core.models import TimeStampedModel
from community_admin.org.models import Committee, Department

COLUMN_TYPES = ("text", "number", "date", "choice", "person")
COLUMN_TYPE_LABELS = {"text": "文本", "number": "数字", "date": "日期", "choice": "选项", "person": "人员"}
COLUMN_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

ERR_COLUMNS_NOT_LIST = "栏目：必须是栏目定义的列表。"
ERR_COLUMN_SHAPE = "栏目第 {n} 项：须有 key、label、type。"
ERR_COLUMN_KEY = "栏目第 {n} 项：key“{key}”须为小写英文字母开头的字母、数字或下划线（最多 40 个）。"
ERR_COLUMN_KEY_TWICE = "栏目第 {n} 项：key“{key}”重复。"
ERR_COLUMN_TYPE = "栏目第 {n} 项：类型“{type}”不可用，可用：text、number、date、choice、person。"
ERR_COLUMN_CHOICES = "栏目第 {n} 项：选项类栏目须列出至少一个选项。"
ERR_COLUMN_UNKNOWN_ATTR = "栏目第 {n} 项：未知的属性 {names}。"
ERR_MANUAL_NEEDS_COLUMNS = "栏目：手工台账至少要有一个栏目。"
ERR_DERIVED_KEY = "数据来源：派生台账须指定人口库视图，手工台账不得指定。"
ERR_OWNER = "责任部门：须指定一个部门，或选择“社区所在街道的派出所”，二者只能选一。"
ERR_DERIVED_PERIOD = "周期：派生台账是人口库的实时视图，不分周期。"

COLUMN_ATTRS = {"key", "label", "type", "required", "choices", "max_length"}


def check_columns(columns) -> None:
    """The column definitions a bureau clerk may write: validated here so that entries can trust them."""
    if not isinstance(columns, list):
        raise ValidationError({"columns": ERR_COLUMNS_NOT_LIST})
    seen: set[str] = set()
    for n, column in enumerate(columns, start=1):
        if not isinstance(column, dict) or not {"key", "label", "type"} <= set(column):
            raise ValidationError({"columns": ERR_COLUMN_SHAPE.format(n=n)})
        unknown = set(column) - COLUMN_ATTRS
        if unknown:
            raise ValidationError(
                {"columns": ERR_COLUMN_UNKNOWN_ATTR.format(n=n, names="、".join(sorted(unknown)))}
            )
        key = column["key"]
        if not isinstance(key, str) or not COLUMN_KEY.match(key):
            raise ValidationError({"columns": ERR_COLUMN_KEY.format(n=n, key=key)})
        if key in seen:
            raise ValidationError({"columns": ERR_COLUMN_KEY_TWICE.format(n=n, key=key)})
        seen.add(key)
        if column["type"] not in COLUMN_TYPES:
            raise ValidationError({"columns": ERR_COLUMN_TYPE.format(n=n, type=column["type"])})
        if column["type"] == "choice" and (
            not isinstance(column.get("choices"), list) or not column["choices"]
        ):
            raise ValidationError({"columns": ERR_COLUMN_CHOICES.format(n=n)})


class LedgerCategory(TimeStampedModel):
    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("类别名称"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("台账类别")
        verbose_name_plural = _("台账类别")

    def __str__(self) -> str:
        return self.name


class LedgerBook(TimeStampedModel):
    class Period(models.TextChoices):
        NONE = "none", _("不分期")
        MONTHLY = "monthly", _("按月")
        QUARTERLY = "quarterly", _("按季度")
        YEARLY = "yearly", _("按年")

    class Source(models.TextChoices):
        MANUAL = "manual", _("手工登记")
        DERIVED = "derived", _("人口库自动生成")

    category = models.ForeignKey(
        LedgerCategory, on_delete=models.PROTECT, related_name="books", verbose_name=_("类别")
    )
    code = models.CharField(_("台账代码"), max_length=40, unique=True)
    name = models.CharField(_("台账名称"), max_length=100)
    owner_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_books",
        verbose_name=_("责任部门"),
    )
    # "The police station": whichever station serves the committee's street (the report's floating-population book).
    owner_police_station = models.BooleanField(_("责任单位为社区所在街道的派出所"), default=False)
    period = models.CharField(_("周期"), max_length=20, choices=Period.choices, default=Period.NONE)
    source = models.CharField(_("数据来源"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    derived_key = models.CharField(_("人口库视图"), max_length=40, blank=True)
    columns = models.JSONField(_("栏目"), default=list, blank=True)
    source_document = models.CharField(_("依据"), max_length=300, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["category__order", "order", "code"]
        verbose_name = _("台账")
        verbose_name_plural = _("台账")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_department__isnull=False, owner_police_station=False)
                | Q(owner_department__isnull=True, owner_police_station=True),
                name="ledger_book_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(source="manual", derived_key="") | (Q(source="derived") & ~Q(derived_key="")),
                name="ledger_book_derived_has_view",
            ),
            models.CheckConstraint(
                condition=Q(source="manual") | Q(period="none"), name="ledger_book_derived_not_periodic"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_derived(self) -> bool:
        return self.source == self.Source.DERIVED

    @property
    def owner_label(self) -> str:
        return self.owner_department.name if self.owner_department_id else "社区所在街道派出所"

    def clean(self) -> None:
        if bool(self.owner_department_id) == self.owner_police_station:
            raise ValidationError({"owner_department": ERR_OWNER})
        if (self.source == self.Source.DERIVED) != bool(self.derived_key):
            raise ValidationError({"derived_key": ERR_DERIVED_KEY})
        if self.source == self.Source.DERIVED and self.period != self.Period.NONE:
            raise ValidationError({"period": ERR_DERIVED_PERIOD})
        if self.source == self.Source.MANUAL:
            check_columns(self.columns)
            if not self.columns:
                raise ValidationError({"columns": ERR_MANUAL_NEEDS_COLUMNS})


class LedgerPeriod(TimeStampedModel):
    """One book's period at one committee. Closed: its entries are locked until the street office reopens it."""

    book = models.ForeignKey(
        LedgerBook, on_delete=models.PROTECT, related_name="periods", verbose_name=_("台账")
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="ledger_periods", verbose_name=_("社区")
    )
    key = models.CharField(_("期间"), max_length=10, blank=True)  # "", "2025", "2025Q1", "2025-03"
    closed = models.BooleanField(_("已关账"), default=False)
    closed_at = models.DateTimeField(_("关账时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("关账人"),
    )

    class Meta:
        ordering = ["book_id", "committee_id", "-key"]
        verbose_name = _("台账期间")
        verbose_name_plural = _("台账期间")
        constraints = [
            models.UniqueConstraint(fields=["book", "committee", "key"], name="ledger_period_unique"),
            models.CheckConstraint(
                condition=Q(closed=False, closed_at__isnull=True) | Q(closed=True, closed_at__isnull=False),
                name="ledger_period_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.book} {self.committee} {self.key}"


class LedgerEntry(TimeStampedModel):
    """One row of a manual book, its fields typed by the book's columns. Removal keeps the row (and its history)."""

    period = models.ForeignKey(
        LedgerPeriod, on_delete=models.PROTECT, related_name="entries", verbose_name=_("台账期间")
    )
    data = models.JSONField(_("内容"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    removed = models.BooleanField(_("已删除"), default=False)

    class Meta:
        ordering = ["period_id", "id"]
        verbose_name = _("台账条目")
        verbose_name_plural = _("台账条目")
        indexes = [models.Index(fields=["period", "removed"]), models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.period} #{self.pk}"


class LedgerEntryRevision(models.Model):
    """The history of an entry: each create, change and removal with the data after it. Never changed."""

    class Action(models.TextChoices):
        CREATE = "create", _("登记")
        UPDATE = "update", _("修改")
        REMOVE = "remove", _("删除")
        IMPORT = "import", _("导入")

    entry = models.ForeignKey(
        LedgerEntry, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("台账条目")
    )
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    data = models.JSONField(_("内容"), default=dict)
    changed = models.JSONField(_("变更字段"), default=list)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("台账条目变更")
        verbose_name_plural = _("台账条目变更")

    def __str__(self) -> str:
        return f"{self.entry_id} {self.get_action_display()}"
