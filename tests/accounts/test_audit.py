import pytest
from django.db import DatabaseError, connection, transaction

from community_admin.core import audit
from community_admin.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_rows_cannot_be_changed_or_deleted_through_the_application(world):
    row = audit.record(actor=world.bureau, action="test.write", obj=world.committee_a1, details={"x": 1})
    assert (row.object_type, row.object_id, row.role) == (
        "org.committee",
        str(world.committee_a1.pk),
        "bureau",
    )
    row.action = "tampered"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=row.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=row.pk).delete()
    assert AuditLog.objects.get(pk=row.pk).action == "test.write"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete_in_raw_sql(world):
    row = audit.record(actor=world.bureau, action="test.write")
    for sql in (
        "UPDATE core_auditlog SET action = 'x' WHERE id = %s",
        "DELETE FROM core_auditlog WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [row.pk])
    assert AuditLog.objects.get(pk=row.pk).action == "test.write"


def test_anonymous_actor_keeps_the_name_it_gave(db):
    row = audit.record(actor=None, actor_name="someone", action="auth.login_failed", result="failed")
    assert row.actor is None and row.actor_name == "someone" and row.role == ""
