"""The claims the test provider releases about its users."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """Adds the email and name claims that the Rapor relying party reads.

    The inherited `oidc_claim_scope` releases `email` and `email_verified` for the `email` scope
    and `name` for the `profile` scope, in the ID token and from the userinfo endpoint. The
    request-agnostic form (claim -> callable) also lists these claims in the discovery document.
    """

    def get_additional_claims(self):
        return {
            "email": lambda request: request.user.email,
            # The provider's users are created by the tests, so their addresses are known good.
            "email_verified": lambda request: True,
            "name": lambda request: request.user.get_full_name(),
        }
