from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from community_admin.core import idnumbers
from community_admin.core.models import TimeStampedModel
from community_admin.org.models import Committee

# The name the registry's list totals are cached under (community_admin/core/counting.py): every save or delete of a
# household or person, and every import, moves its generation on (residents/signals.py, services.py).
REGISTRY = "residents"


class Household(TimeStampedModel):
    class HousingType(models.TextChoices):
        OWNED = "owned", _("自有住房")
        RENTED = "rented", _("租赁住房")
        PUBLIC = "public", _("公房")
        UNIT = "unit", _("单位宿舍")
        OTHER = "other", _("其他")

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("户籍户")
        RESIDENT = "resident", _("常住户（人户分离）")
        FLOATING = "floating", _("流动人口户")

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="households", verbose_name=_("社区")
    )
    number = models.CharField(_("户编号"), max_length=30)
    building = models.CharField(_("楼栋"), max_length=50)
    unit = models.CharField(_("单元"), max_length=20, blank=True)
    room = models.CharField(_("门牌号"), max_length=20)
    housing_type = models.CharField(_("住房类型"), max_length=20, choices=HousingType.choices)
    kind = models.CharField(_("户类型"), max_length=20, choices=Kind.choices, default=Kind.REGISTERED)

    class Meta:
        ordering = ["committee_id", "number"]
        verbose_name = _("户")
        verbose_name_plural = _("户")
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="household_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.address}"

    @property
    def address(self) -> str:
        unit = f"{self.unit}单元" if self.unit else ""
        return f"{self.building}{unit}{self.room}"


class Person(TimeStampedModel):
    class Relationship(models.TextChoices):
        HEAD = "head", _("户主")
        SPOUSE = "spouse", _("配偶")
        CHILD = "child", _("子女")
        PARENT = "parent", _("父母")
        GRANDCHILD = "grandchild", _("孙子女")
        SIBLING = "sibling", _("兄弟姐妹")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("户籍人口")
        RESIDENT = "resident", _("常住未落户")
        FLOATING = "floating", _("流动人口")
        MOVED_OUT = "moved_out", _("已迁出")
        DECEASED = "deceased", _("已死亡")

    ACTIVE_STATUSES = (Status.REGISTERED, Status.RESIDENT, Status.FLOATING)
    # Numbers that may carry the ID number inside them: the second-generation disability certificate is the ID
    # number followed by category and level, and many residence permits are numbered by it. Shown masked like
    # the ID number (`<field>_masked`); the full values only through the audited reveal.
    ID_BEARING_FIELDS = ("disability_certificate", "residence_permit_number")

    class Marital(models.TextChoices):
        UNKNOWN = "", _("未登记")
        SINGLE = "single", _("未婚")
        MARRIED = "married", _("已婚")
        DIVORCED = "divorced", _("离婚")
        WIDOWED = "widowed", _("丧偶")

    class Sex(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="members", verbose_name=_("户")
    )
    # The household's committee, kept beside it so that scoping and counts need no join.
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="persons", verbose_name=_("社区")
    )
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("公民身份号码"), max_length=18, db_index=True)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, editable=False)
    birth_date = models.DateField(_("出生日期"), editable=False, db_index=True)
    relationship = models.CharField(_("与户主关系"), max_length=20, choices=Relationship.choices)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    status = models.CharField(_("居住状态"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    residence_permit_number = models.CharField(_("居住证号码"), max_length=30, blank=True)
    residence_permit_issued_on = models.DateField(_("居住证签发日期"), null=True, blank=True)
    residence_permit_valid_until = models.DateField(_("居住证有效期至"), null=True, blank=True)
    # Tags. Disability and the minimum living allowance are sensitive: see selectors.SENSITIVE_ROLES.
    disability_certificate = models.CharField(_("残疾证号"), max_length=30, blank=True)
    disability_level = models.PositiveSmallIntegerField(_("残疾等级"), null=True, blank=True)
    minimum_allowance = models.BooleanField(_("低保"), default=False)
    veteran = models.BooleanField(_("退役军人"), default=False)
    party_member = models.BooleanField(_("党员"), default=False)
    registered_unemployed = models.BooleanField(_("登记失业"), default=False)
    marital_status = models.CharField(
        _("婚姻状况"), max_length=20, choices=Marital.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["household_id", "id"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(status__in=["registered", "resident", "floating"]),
                name="person_one_active_per_id_number",
            ),
            models.CheckConstraint(
                condition=Q(disability_level__isnull=True)
                | Q(disability_level__gte=1, disability_level__lte=4),
                name="person_disability_level_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(residence_permit_issued_on__isnull=True)
                | Q(residence_permit_valid_until__isnull=True)
                | Q(residence_permit_valid_until__gt=F("residence_permit_issued_on")),
                name="person_permit_valid_after_issued",
            ),
        ]
        indexes = [
            # Covers the per-committee counts (households, residents, floating) of org.selectors.registry_counts.
            models.Index(fields=["committee", "status", "household"], name="person_committee_counts"),
            models.Index(fields=["committee", "name"]),
            # The lists' order (a household's members together) served by an index, so a page needs no sort.
            models.Index(fields=["committee", "household", "id"], name="person_list_order"),
            # Name searches are prefix searches (LIKE '张%'); PostgreSQL needs pattern ops for them.
            models.Index(fields=["name"], opclasses=["varchar_pattern_ops"], name="person_name_prefix"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return idnumbers.mask(self.id_number)

    @property
    def disability_certificate_masked(self) -> str:
        return idnumbers.mask_embedded(self.disability_certificate)

    @property
    def residence_permit_number_masked(self) -> str:
        return idnumbers.mask_embedded(self.residence_permit_number)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def disabled(self) -> bool:
        return bool(self.disability_certificate)

    def age_on(self, day: date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


ACTIVE_STATUS_CHOICES = [(s.value, s.label) for s in Person.ACTIVE_STATUSES]


class PersonEvent(models.Model):
    """A life event in a person's history. Never changed, never deleted."""

    class Kind(models.TextChoices):
        REGISTER = "register", _("登记")
        UPDATE = "update", _("修改")
        MOVE_IN = "move_in", _("迁入")
        MOVE_OUT = "move_out", _("迁出")
        TRANSFER = "transfer", _("转移至其他社区")
        DEATH = "death", _("死亡")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="events", verbose_name=_("人员")
    )
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)
    happened_on = models.DateField(_("发生日期"))
    from_committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("原社区")
    )
    to_committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("新社区")
    )
    from_household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("原户")
    )
    to_household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("新户")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    # db_default: the seed and bulk writers insert events naming their columns (core.seeding.bulk_insert)
    reason = models.CharField(_("原因"), max_length=200, blank=True, default="", db_default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name = _("人员变动")
        verbose_name_plural = _("人员变动")

    def __str__(self) -> str:
        return f"{self.happened_on} {self.get_kind_display()}"

    RECORDED_VERBS = {
        Kind.REGISTER: "登记",
        Kind.MOVE_IN: "登记迁入",
        Kind.MOVE_OUT: "登记迁出",
        Kind.UPDATE: "更新",
    }

    @property
    def recorded_by(self) -> str:
        """ "由 甲街派出所 登记迁出" when a department's account recorded it ("" for the registry's keepers), so
        the committee sees whose record it is."""
        department = getattr(self.actor, "department", None) if self.actor_id else None
        if department is None:
            return ""
        return f"由 {department.name} {self.RECORDED_VERBS.get(self.kind, '办理')}"


class RegistrationConflict(TimeStampedModel):
    """A registration refused because the ID number is active in a committee the registering account does not
    see. The account is told only that the number is held for checking; the registering committee's street (or
    the bureau) sees where it is registered and resolves it."""

    class Source(models.TextChoices):
        REGISTER = "register", _("登记")
        UPDATE = "update", _("更正身份号码")
        IMPORT = "import", _("Excel 导入")

    class Status(models.TextChoices):
        OPEN = "open", _("待核实")
        RESOLVED = "resolved", _("已处理")

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请登记的社区")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("已登记的人员")
    )
    person_committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="+", verbose_name=_("已登记的社区")
    )
    submitted_name = models.CharField(_("申请登记的姓名"), max_length=50)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolution = models.CharField(_("处理说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("登记冲突")
        verbose_name_plural = _("登记冲突")
        constraints = [
            # Asking again while one is open adds nothing: the open conflict already stands for it.
            models.UniqueConstraint(
                fields=["committee", "person"],
                condition=Q(status="open"),
                name="conflict_one_open_per_person",
            )
        ]
        indexes = [models.Index(fields=["committee", "status"], name="conflict_committee_status")]

    def __str__(self) -> str:
        return f"{self.person.id_number_masked} {self.get_status_display()}"
