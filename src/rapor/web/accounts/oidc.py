"""Sign-in with belajar.id: the provider proves the email, the account registry decides the rest.

A refused sign-in records why in the session, so the refusal page can say it in plain words
(unknown email, inactive account, or an email outside the allowed domains).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from rapor.web.accounts.models import Account
from rapor.web.audit.models import AuditEvent

REFUSAL_SESSION_KEY = "rapor_sign_in_refusal"


class Refusal:
    """Why a verified identity may not sign in (the keys the refusal page explains)."""

    UNVERIFIED = "unverified"
    DOMAIN = "domain"
    UNKNOWN = "unknown"
    INACTIVE = "inactive"


def email_domain_allowed(email: str) -> bool:
    domain = email.rpartition("@")[2].lower()
    return domain in {allowed.lower() for allowed in settings.RAPOR_ALLOWED_EMAIL_DOMAINS}


def refusal_for(claims: dict) -> str | None:
    """Why the provider's claims may not sign in, or None when they may."""
    email = str(claims.get("email", "")).strip().lower()
    if not email or claims.get("email_verified") is False:
        return Refusal.UNVERIFIED
    if not email_domain_allowed(email):
        return Refusal.DOMAIN
    account = Account.objects.filter(email=email).first()
    if account is None:
        return Refusal.UNKNOWN
    if not account.is_active:
        return Refusal.INACTIVE
    return None


class RegistryOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc backend that never creates users: the registry is the only source."""

    def verify_claims(self, claims: dict) -> bool:
        refusal = refusal_for(claims)
        if refusal:
            email = str(claims.get("email", ""))[:254]
            self.request.session[REFUSAL_SESSION_KEY] = {"reason": refusal, "email": email}
            AuditEvent.objects.record(
                AuditEvent.Action.LOGIN_FAILED,
                self.request,
                email=email,
                detail={"reason": refusal},
            )
        return refusal is None

    def filter_users_by_claims(self, claims: dict):
        email = str(claims.get("email", "")).strip().lower()
        return self.UserModel.objects.filter(email=email, is_active=True)

    def get_user(self, user_id):
        # Each request re-reads the account: deactivating it in the registry ends its sessions.
        return self.UserModel.objects.active(user_id)

    def create_user(self, claims: dict):
        # OIDC_CREATE_USER is off; reaching this would mean the registry check was bypassed.
        raise SuspiciousOperation("accounts are created by import, not by sign-in")
