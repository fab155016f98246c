"""The one shape of a form view, and of a button that acts.

Views stay thin (STYLE): parse, call the operation, answer. What differs
between them is the form, the operation and what follows success; the rest
is here, once.
"""
from __future__ import annotations

from typing import Callable

from flask import abort, flash, g, make_response, redirect, render_template

from samklima.extensions import db
from samklima.platform.errors import OperationError
from samklima.platform.forms import EmptyForm


def form_view(form, save: Callable[[], object], done: Callable[[object], object], template: str, /, *,
              keep_refusals: bool = False, form_name: str = "form", **context):
    """A GET shows `template` with the form. A valid POST calls `save()` (the operation)
    and answers `done(result)`, usually a flash and a redirect. A refused POST (the
    form's own checks, or the operation's OperationError, shown beside the field it
    names) shows the form again with what was typed, answered 422: the request's
    transaction then rolls back (platform.security), so nothing half-written stays.

    `keep_refusals`: for the sign-in steps, whose refusals are evidence to keep (a
    failed sign-in in the audit log, a wrong code counted towards the lock): their
    transaction is committed all the same. `form_name`: what the template calls
    the form, where a page holds more than one.
    """
    if form.validate_on_submit():
        try:
            result = save()
        except OperationError as error:
            error.attach_to(form)
        else:
            return done(result)
    page = render_template(template, **{form_name: form}, **context)
    if not form.is_submitted():
        return page
    g.keep_refusal = keep_refusals
    return page, 422


def button_view(save: Callable[[], object], done: Callable[[object], object], next_url: str, form=None):
    """A button that acts (a small form, by default only its CSRF token): the operation,
    then `done(result)` (a flash; it may answer a redirect of its own), else back to
    `next_url`. A refusal is flashed as an error, and nothing of it is kept."""
    if (form or EmptyForm()).validate_on_submit():
        try:
            result = save()
        except OperationError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            answer = done(result)
            if answer is not None:
                return answer
    return redirect(next_url)


def refuse_with(page: str, status: int = 400, **context):
    """Stop the request with another page (a link that no longer works), from inside an operation's call."""
    abort(make_response(render_template(page, **context), status))
