"""Workspaces (tenants): creation, members, roles, invitations and settings."""
