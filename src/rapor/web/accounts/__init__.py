"""Accounts: the registry of who may sign in, their role and scope, and the sign-in itself."""
