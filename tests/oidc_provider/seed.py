"""Fills the provider's database with the users and the client that a test asked for.

Imported only once Django is set up, since it needs the models. Re-running on the same state
folder updates the rows instead of failing, so a state folder can be reused.
"""

from typing import Any

from django.contrib.auth import get_user_model
from oauth2_provider.models import get_application_model


def load(config: dict[str, Any]) -> None:
    """Create the configured users and the single confidential client."""
    for user in config["users"]:
        _create_user(email=user["email"], password=user["password"], name=user["name"])
    _create_client(config)


def _create_user(email: str, password: str, name: str) -> None:
    # Django keeps a first and a last name; `get_full_name()` joins them back into `name`.
    first_name, _, last_name = name.partition(" ")
    user, _ = get_user_model().objects.update_or_create(
        username=email,
        defaults={"email": email, "first_name": first_name, "last_name": last_name},
    )
    user.set_password(password)
    user.save()


def _create_client(config: dict[str, Any]) -> None:
    application_model = get_application_model()
    application, _ = application_model.objects.update_or_create(
        client_id=config["client_id"],
        defaults={
            "name": "Rapor web app (test)",
            "client_type": application_model.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": application_model.GRANT_AUTHORIZATION_CODE,
            "algorithm": application_model.RS256_ALGORITHM,
            "redirect_uris": " ".join(config["redirect_uris"]),
            # The browser tests sign in without a consent screen.
            "skip_authorization": True,
            # Stored hashed on save, like a real client secret.
            "client_secret": config["client_secret"],
        },
    )
    application.full_clean()
