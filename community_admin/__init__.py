# Load the Celery app with Django, so services can enqueue jobs (`shared_task` binds to it).
from community_admin.config.celery import app as celery_app

__all__ = ("celery_app",)
