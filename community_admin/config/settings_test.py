"""Test settings: the same source of truth with a fast password hasher and a fixed key."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from community_admin.config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
STORAGES["evidence"]["OPTIONS"]["location"] = str(MEDIA_ROOT / "evidence")  # noqa: F405

# Jobs run inline in tests; the one real-worker test turns this off for itself (tests/jobs/test_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
JOBS_RESULT_ROOT = Path(env.str("JOBS_RESULT_ROOT", default=str(VAR_DIR / "test-job-results")))  # noqa: F405
STORAGES["job_results"]["OPTIONS"]["location"] = str(JOBS_RESULT_ROOT)  # noqa: F405
STORAGES["services_files"]["OPTIONS"]["location"] = str(MEDIA_ROOT / "services")  # noqa: F405
