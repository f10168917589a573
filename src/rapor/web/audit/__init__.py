"""The audit log: who signed in, downloaded, changed accounts or switched releases, and when.

Events are only ever added (`AuditEvent`); nothing in the app changes or deletes them.
"""
