"""The error an operation raises when a rule refuses a change.

It carries a translated message and, where it concerns one form field, the
field's name, so a view can show it beside what the user typed.
"""


class OperationError(Exception):
    def __init__(self, message, field: str | None = None, more=()):
        # Kept lazy: it is translated where it is shown, in the reader's language.
        super().__init__(message)
        self.message = message
        self.field = field
        self.more = tuple(more)  # further sentences, each shown as its own message

    def attach_to(self, form) -> None:
        """Show the message on the form: beside its field (also one inside a list of
        sub-forms, by its full name), or at the top."""
        from samklima.platform.forms import every_field

        field = next((f for f in every_field(form) if f.name == self.field), None) if self.field else None
        if field is not None:
            field.errors = [*field.errors, self.message, *self.more]
        else:
            form.form_errors.extend([self.message, *self.more])
