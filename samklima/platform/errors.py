"""The error an operation raises when a rule refuses a change.

It carries a translated message and, where it concerns one form field, the
field's name, so a view can show it beside what the user typed.
"""


class OperationError(Exception):
    def __init__(self, message, field: str | None = None):
        # Kept lazy: it is translated where it is shown, in the reader's language.
        super().__init__(message)
        self.message = message
        self.field = field

    def attach_to(self, form) -> None:
        """Show the message on the form: beside its field, or at the top."""
        field = getattr(form, self.field, None) if self.field else None
        if field is not None:
            field.errors = [*field.errors, self.message]
        else:
            form.form_errors.append(self.message)
