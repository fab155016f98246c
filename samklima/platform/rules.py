"""The checks that operations of every domain share, each with its one message.

Forms check the same things first (platform.forms), so a person sees the
message beside what they typed; an operation checks again, because a form is
not the only door (the CLI, a CSV import, a nomination answered by link).
"""
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from samklima.platform.errors import OperationError

FILL_IN = _l("Please fill in this field.")
VALID_EMAIL = _l("Enter a valid e-mail address, like name@kommune.dk.")


def require(value, field: str) -> None:
    """Something must be there: text that is not only spaces, a date, a choice."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise OperationError(FILL_IN, field=field)


def at_most(text: str, count: int, field: str) -> None:
    if len(text or "") > count:
        raise OperationError(_l("Use at most %(max)d characters.", max=count), field=field)


def is_email_address(text: str) -> bool:
    """Well formed (its domain is not looked up: a form would wait on DNS)."""
    try:
        validate_email(text.strip(), check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def email_address(text: str, field: str, required: bool = True) -> None:
    if not (text or "").strip():
        if required:
            raise OperationError(FILL_IN, field=field)
    elif not is_email_address(text):
        raise OperationError(VALID_EMAIL, field=field)
