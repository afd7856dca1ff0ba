from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from community_admin.jobs.models import Job


class JobOutputSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(read_only=True)
    # Never a full ID number (a search term of the person export, a number inside a longer one).
    params = serializers.DictField(source="params_display", read_only=True)
    error = serializers.CharField(source="error_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    scope_street = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    scope_committee = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    scope_department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "kind_label",
            "params",
            "state",
            "state_display",
            "progress",
            "message",
            "error",
            "attempts",
            "created_by",
            "scope_level",
            "scope_street",
            "scope_committee",
            "scope_department",
            "created_at",
            "started_at",
            "heartbeat_at",
            "finished_at",
            "result_name",
            "result_size",
            "result_expires_at",
            "download_url",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, job: Job) -> str | None:
        if not job.has_result:
            return None
        return reverse("job-download", kwargs={"pk": job.pk}, request=self.context.get("request"))


class JobStartInputSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=80)
    params = serializers.DictField(required=False, default=dict)


class JobKindOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    on_duplicate = serializers.CharField()
