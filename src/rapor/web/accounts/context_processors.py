from django.http import HttpRequest

from rapor.web.accounts.scope import Scope


def account(request: HttpRequest) -> dict:
    """The signed-in account's scope, for the menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope": Scope.of(user)}
