"""Accounts: users, sign-in, sessions, passwords and two-factor authentication."""
