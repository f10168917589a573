"""Receivers that record sign-ins, sign-outs and every change to an account's access.

Account changes are caught on the model, not in the admin or the CSV import, so that no way of
changing an account (the admin form, the admin import, `rapor web import_accounts`, the shell) can
skip the log. Who made a change comes from the current request (`audit.middleware`); a change
made outside a request, by a command on the server, has no account.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from rapor.web.audit.middleware import current_request
from rapor.web.audit.models import AuditEvent

Action = AuditEvent.Action
Account = get_user_model()
# What decides whom an account is and what it may see or do.
ACCESS_FIELDS = ("email", "role", "region_code", "npsn", "is_active", "is_staff", "is_superuser")


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs) -> None:
    AuditEvent.objects.record(Action.LOGIN, request, account=user)


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs) -> None:
    if user is not None:  # signing out without having been signed in is no event
        AuditEvent.objects.record(Action.LOGOUT, request, account=user)


@receiver(pre_save, sender=Account)
def remember_access_before_change(sender, instance, update_fields=None, **kwargs) -> None:
    # Sign-in saves last_login alone: no access field changes, so no need to read the row.
    if instance.pk is None or (update_fields and not set(update_fields) & set(ACCESS_FIELDS)):
        instance._access_before = None
        return
    instance._access_before = (
        sender._base_manager.filter(pk=instance.pk).values(*ACCESS_FIELDS).first()
    )


@receiver(post_save, sender=Account)
def record_account_saved(sender, instance, created, **kwargs) -> None:
    after = {name: getattr(instance, name) for name in ACCESS_FIELDS}
    if created:
        _record(Action.ACCOUNT_CREATED, instance, {"after": after})
        return
    before = getattr(instance, "_access_before", None)
    if before is None:
        return
    changed = [name for name in ACCESS_FIELDS if before[name] != after[name]]
    if not changed:
        return
    if before["is_active"] and not after["is_active"]:
        action = Action.ACCOUNT_DEACTIVATED
    elif "role" in changed:
        action = Action.ROLE_CHANGED
    else:
        action = Action.ACCOUNT_CHANGED
    _record(
        action,
        instance,
        {
            "before": {name: before[name] for name in changed},
            "after": {name: after[name] for name in changed},
        },
    )


@receiver(post_delete, sender=Account)
def record_account_deleted(sender, instance, **kwargs) -> None:
    detail = {"before": {name: getattr(instance, name) for name in ACCESS_FIELDS}}
    if getattr(current_request(), "user", None) == instance:
        # An account deleting itself: its row is gone, so the event keeps only its email.
        AuditEvent.objects.record(
            Action.ACCOUNT_DELETED, email=instance.email, target=instance.email, detail=detail
        )
        return
    _record(Action.ACCOUNT_DELETED, instance, detail)


@receiver(m2m_changed, sender=Account.groups.through)
def record_group_change(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    # Groups grant permissions (e.g. "Editor konten"), so joining or leaving one is an access
    # change. Only the account side is handled: the app offers no way to edit a group's members.
    if reverse or action not in ("post_add", "post_remove", "pre_clear"):
        return
    if action == "pre_clear":
        names = instance.groups.values_list("name", flat=True)
    else:
        names = model.objects.filter(pk__in=pk_set).values_list("name", flat=True)
    key = "groups_added" if action == "post_add" else "groups_removed"
    if names:
        _record(Action.ACCOUNT_CHANGED, instance, {key: sorted(names)})


def _record(action: str, account, detail: dict) -> None:
    AuditEvent.objects.record(action, current_request(), target=account.email, detail=detail)
