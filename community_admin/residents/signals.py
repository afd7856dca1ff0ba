"""The registry's cached list totals are forgotten when a household or person is written (core/counting.py)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from community_admin.core import counting
from community_admin.residents.models import REGISTRY, Household, Person


@receiver([post_save, post_delete], sender=Person)
@receiver([post_save, post_delete], sender=Household)
def registry_changed(sender, **kwargs):
    counting.data_changed(REGISTRY)
