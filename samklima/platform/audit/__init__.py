"""The audit log of security events, one per workspace."""
from samklima.platform import signals


def init_app(app) -> None:
    from samklima.platform.audit.operations import record_unscoped_access

    signals.connect(signals.unscoped_access, record_unscoped_access, app)
