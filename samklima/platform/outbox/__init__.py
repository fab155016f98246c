"""The e-mail outbox and its worker."""
