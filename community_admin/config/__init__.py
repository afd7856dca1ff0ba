"""Project configuration: settings, URLs, the API router, Celery and WSGI."""
