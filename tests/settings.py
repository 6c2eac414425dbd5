"""Test settings: the project's settings with test-only overrides.

The database comes from DATABASE_URL (PostgreSQL in CI); without it, SQLite.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from baotou_carbon.settings import *  # noqa: F403
from baotou_carbon.settings import MIDDLEWARE, STORAGES

# live_server serves static files through the finders: no manifest.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT", "/tmp/baotou-carbon-test-media")  # noqa: S108
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
