from rest_framework import serializers

from community_admin.community_services.models import (
    ORGANISATION_DESCRIPTION_MAX,
    Activity,
    ActivityAttachment,
    CommunityOrganisation,
    OrganisationMember,
    OrganisationSupport,
    Visit,
    Volunteer,
)
from community_admin.core.api_query import YearQuery


class BalanceQuery(YearQuery):
    month = serializers.IntegerField(
        required=False, min_value=1, max_value=12, help_text="月份 1–12；不填为全年"
    )


class VisitOutputSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    household_number = serializers.CharField(source="household.number", read_only=True)
    visitor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    visitor_name = serializers.CharField(
        source="visitor.display_name", read_only=True, help_text="走访人姓名"
    )
    follow_up_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "committee",
            "household",
            "household_number",
            "visited_on",
            "visitor",
            "visitor_name",
            "companion",
            "purpose",
            "needs",
            "follow_up",
            "follow_up_due",
            "follow_up_done_on",
            "follow_up_note",
            "follow_up_open",
        ]


class VisitInputSerializer(serializers.Serializer):
    household = serializers.IntegerField(help_text="户的编号（id），须在本社区")
    visited_on = serializers.DateField()
    purpose = serializers.ChoiceField(choices=Visit.Purpose.choices)
    needs = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    follow_up = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    follow_up_due = serializers.DateField(required=False, allow_null=True, default=None)
    companion = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class FollowUpCloseInputSerializer(serializers.Serializer):
    done_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class AttachmentOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityAttachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "created_at"]


class ActivityOutputSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    participant_ids = serializers.SerializerMethodField()
    attachments = AttachmentOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "committee",
            "title",
            "kind",
            "held_on",
            "place",
            "organiser",
            "organisation",
            "participant_count",
            "participant_ids",
            "attachments",
        ]

    def get_participant_ids(self, obj) -> list[int]:
        return [p.person_id for p in obj.participations.all()]


class ActivityInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=Activity.Kind.choices)
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=100)
    organiser = serializers.CharField(max_length=100)
    organisation = serializers.IntegerField(required=False, allow_null=True, default=None)
    participant_count = serializers.IntegerField(min_value=0, default=0)
    participant_ids = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="登记姓名的参加居民（人员 id）",
    )


class AttachmentInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF、JPEG 或 PNG（按文件内容判断）")


class HoursInputSerializer(serializers.Serializer):
    volunteer = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1)


class VolunteerOutputSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)
    total_hours = serializers.DecimalField(max_digits=10, decimal_places=1, read_only=True, default=0)

    class Meta:
        model = Volunteer
        fields = ["id", "committee", "person", "name", "registered_on", "skills", "total_hours"]


class VolunteerInputSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text="人员 id，须为本社区在册人员")
    registered_on = serializers.DateField()
    skills = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class MemberOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = OrganisationMember
        fields = ["person", "name", "role", "joined_on"]


class SupportOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrganisationSupport
        fields = ["id", "given_on", "kind", "description", "amount"]


class OrganisationOutputSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    members = MemberOutputSerializer(source="memberships", many=True, read_only=True)
    supports = SupportOutputSerializer(many=True, read_only=True)

    class Meta:
        model = CommunityOrganisation
        fields = [
            "id",
            "committee",
            "name",
            "kind",
            "founded_on",
            "filed",
            "description",
            "members",
            "supports",
        ]


class OrganisationInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=CommunityOrganisation.Kind.choices)
    founded_on = serializers.DateField(required=False, allow_null=True, default=None)
    filed = serializers.BooleanField(required=False, default=False)
    description = serializers.CharField(
        max_length=ORGANISATION_DESCRIPTION_MAX, required=False, allow_blank=True, default=""
    )


class MemberInputSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    role = serializers.ChoiceField(
        choices=OrganisationMember.Role.choices, default=OrganisationMember.Role.MEMBER
    )
    joined_on = serializers.DateField()


class SupportInputSerializer(serializers.Serializer):
    given_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=OrganisationSupport.Kind.choices)
    description = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, default=None
    )


class BalanceOutputSerializer(serializers.Serializer):
    committee = serializers.CharField(source="committee.code")
    name = serializers.CharField(source="committee.name")
    street = serializers.CharField(source="committee.street.code")
    households = serializers.IntegerField(source="balance.households")
    residents = serializers.IntegerField(source="balance.residents")
    visits = serializers.IntegerField(source="balance.service.visits")
    households_reached = serializers.IntegerField(source="balance.service.households_reached")
    activities = serializers.IntegerField(source="balance.service.activities")
    participants = serializers.IntegerField(source="balance.service.participants")
    volunteer_hours = serializers.DecimalField(
        max_digits=12, decimal_places=1, source="balance.service.volunteer_hours"
    )
    organisations_supported = serializers.IntegerField(source="balance.service.organisations_supported")
    visits_per_100_households = serializers.DecimalField(
        max_digits=12, decimal_places=2, source="balance.visits_per_100_households"
    )
    activities_per_1000_residents = serializers.DecimalField(
        max_digits=12, decimal_places=2, source="balance.activities_per_1000_residents"
    )
    volunteer_hours_per_1000_residents = serializers.DecimalField(
        max_digits=12, decimal_places=2, source="balance.volunteer_hours_per_1000_residents"
    )
    service_index = serializers.DecimalField(max_digits=5, decimal_places=1, source="balance.service_index")
    admin = serializers.DictField(child=serializers.IntegerField(), source="balance.admin")
    service_hours = serializers.DecimalField(max_digits=12, decimal_places=1, source="balance.service_hours")
    admin_hours = serializers.DecimalField(max_digits=12, decimal_places=1, source="balance.admin_hours")
    service_share = serializers.DecimalField(
        max_digits=4, decimal_places=3, source="balance.service_share", allow_null=True
    )
    flagged = serializers.BooleanField(source="balance.flagged")
