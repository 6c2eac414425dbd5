"""The API's token authentication: `Authorization: Token <key>` with an enterprise's API key.

The request then acts as the token's user, so every permission getter and every service sees an
ordinary enterprise user (and the history names it). A key that is unknown, revoked, or whose
user is no longer an active user of the token's enterprise is refused with a JSON message.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from baotou_carbon.accounts.roles import Role

from .models import EnterpriseApiToken, api_key_digest

KEYWORD = "Token"
# How stale `last_used_at` may grow before a request writes it again: one UPDATE a minute at
# most per token, not one per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class EnterpriseTokenAuthentication(authentication.BaseAuthentication):
    keyword = KEYWORD

    def authenticate(self, request: Request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None  # another scheme, or none: the session may still authenticate
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header: give the key after “Token ”, without spaces.")
            )
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        return self.authenticate_key(key)

    def authenticate_key(self, key: str):
        token = (
            EnterpriseApiToken.objects.select_related("user", "enterprise")
            .filter(key_hash=api_key_digest(key))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked."))
        user = token.user
        if not (
            user.is_active
            and user.role == Role.ENTERPRISE
            and user.enterprise_id == token.enterprise_id
        ):
            raise exceptions.AuthenticationFailed(
                _("The user this token acts as may no longer use it.")
            )
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            EnterpriseApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class EnterpriseTokenScheme(OpenApiAuthenticationExtension):
    """How the schema documents the token: the `Authorization` header, `Token <key>`."""

    target_class = EnterpriseTokenAuthentication
    name = "enterpriseToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An enterprise's API key, as `Token <key>`; staff and the "
            "enterprise's users issue keys on the enterprise's page.",
        }
