"""Account pages: thin views over accounts.operations."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

import segno

from samklima.extensions import db, limiter
from samklima.platform.accounts import forms, operations, sessions
from samklima.platform.accounts.models import User, UserToken
from samklima.platform.clock import utcnow
from samklima.platform.errors import OperationError
from samklima.platform.forms import EmptyForm
from samklima.platform.i18n import current_language, safe_next, user_time_zone
from samklima.platform.views import form_view

bp = Blueprint("accounts", __name__, template_folder="templates")

TWO_FACTOR_WINDOW_SECONDS = 300


def _address_and_ip_key() -> str:
    return f"login:{get_remote_address()}:{request.form.get('email', '').strip().lower()}"


def _two_factor_key() -> str:
    # Per account, not only per address: six digits fall to a guesser with many addresses.
    return f"two-factor:{session.get('two_factor_user')}"


def _failed(response) -> bool:
    # Only failed attempts count: a whole town hall signs in from one address at nine.
    return response.status_code != 302


def _after_sign_in(next_url):
    return redirect(safe_next(next_url, url_for("workspaces.index")))


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("workspaces.index"))
    form = forms.SignupForm()
    return form_view(
        form, lambda: operations.sign_up(form.email.data, form.name.data, form.password.data, current_language()),
        lambda _result: render_template("accounts/check_inbox.html", email=form.email.data), "accounts/signup.html")


def _link_problem(error: OperationError, **context):
    return render_template("accounts/link_problem.html", message=error.message, **context), 400


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify_email(token):
    # Mail scanners open every link: the GET only shows a button.
    try:
        operations.check_token(token, UserToken.VERIFY_EMAIL)
    except OperationError as error:
        return _link_problem(error)

    def done(_user):
        flash(_("Your e-mail address is confirmed. You can sign in now."), "success")
        return redirect(url_for("accounts.login"))

    return form_view(EmptyForm(), lambda: operations.verify_email(token), done, "accounts/verify.html")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"], deduct_when=_failed)
@limiter.limit("5 per minute", key_func=_address_and_ip_key, methods=["POST"], deduct_when=_failed)
def login():
    form = forms.LoginForm()
    next_url = request.args.get("next")

    def done(user):
        if user.has_two_factor:
            sessions.sign_out()
            session["two_factor_user"] = user.id
            session["two_factor_started"] = utcnow().timestamp()
            return redirect(url_for("accounts.login_two_factor", next=next_url))
        operations.sign_in(user)
        return _after_sign_in(next_url)

    # A refusal is kept: the failed sign-in is audited and counted, an unverified address gets its link.
    return form_view(form, lambda: operations.sign_in_with_password(form.email.data, form.password.data), done,
                     "accounts/login.html", keep_refusals=True)


@bp.route("/login/two-factor", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"], deduct_when=_failed)
@limiter.limit("5 per minute", key_func=_two_factor_key, methods=["POST"], deduct_when=_failed)
def login_two_factor():
    user_id = session.get("two_factor_user")
    started = session.get("two_factor_started", 0)
    if not user_id or utcnow().timestamp() - started > TWO_FACTOR_WINDOW_SECONDS:
        session.clear()
        flash(_("Please sign in again."), "info")
        return redirect(url_for("accounts.login"))
    form = forms.TwoFactorCodeForm()
    user = db.session.get(User, user_id)
    if user is None or user.two_factor_locked_at is not None:
        return render_template("accounts/login_two_factor.html", form=form, locked=True)

    def done(_result):
        operations.sign_in(user)
        return _after_sign_in(request.args.get("next"))

    # A wrong code is kept: it counts towards the lock.
    return form_view(form, lambda: operations.check_two_factor_at_sign_in(user, form.code.data), done,
                     "accounts/login_two_factor.html", keep_refusals=True, locked=False)


@bp.post("/logout")
@login_required
def logout():
    operations.sign_out(current_user._get_current_object())
    flash(_("You are signed out on all your devices."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def forgot_password():
    form = forms.ForgotPasswordForm()
    return form_view(form, lambda: operations.request_password_reset(form.email.data),
                     lambda _result: render_template("accounts/check_inbox.html", email=form.email.data, reset=True),
                     "accounts/forgot_password.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        operations.check_token(token, UserToken.RESET_PASSWORD)
    except OperationError as error:
        return _link_problem(error, reset=True)
    form = forms.ResetPasswordForm()

    def done(_user):
        sessions.sign_out()
        flash(_("Your password is changed. Please sign in with the new one."), "success")
        return redirect(url_for("accounts.login"))

    return form_view(form, lambda: operations.reset_password(token, form.password.data), done,
                     "accounts/reset_password.html")


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    form = forms.ProfileForm(obj=current_user, time_zone=user_time_zone(current_user))

    def done(_result):
        session["locale"] = form.locale.data
        flash(_("Your details are saved."), "success")
        return redirect(url_for("accounts.profile"))

    return form_view(
        form, lambda: operations.update_profile(current_user, form.name.data, form.locale.data, form.time_zone.data),
        done, "accounts/profile.html", user_sessions=sessions.sessions_of(current_user))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = forms.ChangePasswordForm()

    def done(_result):
        flash(_("Your password is changed. You are signed out everywhere else."), "success")
        return redirect(url_for("accounts.profile"))

    return form_view(
        form, lambda: operations.change_password(current_user, form.current_password.data, form.password.data),
        done, "accounts/change_password.html")


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor():
    if current_user.has_two_factor:
        form = forms.ConfirmPasswordForm()

        def turned_off(_result):
            flash(_("Two-factor authentication is turned off."), "info")
            return redirect(url_for("accounts.profile"))

        return form_view(form, lambda: operations.disable_two_factor(current_user, form.password.data), turned_off,
                         "accounts/two_factor_disable.html")

    secret = session.get("pending_totp_secret") or operations.new_two_factor_secret()
    session["pending_totp_secret"] = secret
    form = forms.TwoFactorCodeForm()

    def turned_on(_result):
        session.pop("pending_totp_secret", None)
        flash(_("Two-factor authentication is turned on."), "success")
        return redirect(url_for("accounts.profile"))

    uri = operations.two_factor_uri(current_user, secret)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4, title=_("QR code for your authenticator app"))
    return form_view(form, lambda: operations.enable_two_factor(current_user, secret, form.code.data), turned_on,
                     "accounts/two_factor_setup.html", secret=secret, qr_svg=qr_svg)
