"""The audit log of security events, one per workspace."""
