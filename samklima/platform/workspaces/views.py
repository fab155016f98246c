"""Workspace pages: the list and switcher, creation, invitations, members, settings."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from samklima.platform import signals
from samklima.platform.accounts import operations as account_operations
from samklima.platform.errors import OperationError
from samklima.platform.forms import EmptyForm
from samklima.platform.inputs import whole_number
from samklima.platform.outbox.operations import failed_mail
from samklima.platform.permissions import has_role, require_role
from samklima.platform.tenancy import enter_tenant, get_or_404
from samklima.platform.views import button_view, form_view, refuse_with
from samklima.platform.workspaces import forms, operations, queries
from samklima.platform.workspaces.models import Invitation

bp = Blueprint("workspaces", __name__, template_folder="templates")
workspace_bp = Blueprint("workspace", __name__, template_folder="templates")


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("workspaces/welcome.html")
    memberships = queries.memberships_of_user(current_user)
    return render_template("workspaces/index.html", memberships=memberships)


@bp.route("/workspaces/new", methods=["GET", "POST"])
@login_required
def create():
    form = forms.WorkspaceForm()

    def done(tenant):
        flash(_("The workspace is ready. Invite the people you work with."), "success")
        return redirect(url_for("workspace.dashboard", slug=tenant.slug))

    return form_view(
        form, lambda: operations.create_workspace(form.name.data, form.slug.data, form.country.data,
                                                  by=current_user, locale=None),
        done, "workspaces/create.html")


def _link_problem(error: OperationError):
    return render_template("accounts/link_problem.html", message=error.message), 400


def _welcome(tenant):
    flash(_("Welcome to %(workspace)s.", workspace=tenant.name), "success")
    return redirect(url_for("workspace.dashboard", slug=tenant.slug))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token):
    # The GET only shows the invitation: mail scanners open every link.
    try:
        tenant, found = operations.find_invitation(token)
    except OperationError as error:
        return _link_problem(error)
    g.tenant_token = enter_tenant(tenant)
    existing_account = account_operations.find_user(found.email)
    join_form = forms.JoinForm(prefix="join")
    accept_form = EmptyForm()
    page = {"invited_tenant": tenant, "invitation": found, "existing_account": existing_account,
            "join_form": join_form, "accept_form": accept_form, "role_label": forms.ROLE_LABELS[found.role]}

    def claimed(claim):
        try:
            return claim()
        except operations.InvitationLinkError as error:
            # Used a moment ago (a double click, another tab): the link's own page says so.
            refuse_with("accounts/link_problem.html", message=error.message)

    if current_user.is_authenticated:
        return form_view(accept_form, lambda: claimed(lambda: operations.accept_invitation(token, current_user)),
                         lambda _tenant: _welcome(tenant), "workspaces/invitation.html", **page)
    if existing_account is not None:
        return render_template("workspaces/invitation.html", **page)

    def join():
        user = claimed(lambda: operations.join_with_invitation(token, join_form.name.data, join_form.password.data))
        account_operations.sign_in(user)

    # A refused password answers 422, so the claim rolls back: the invitation stays open for the next try.
    return form_view(join_form, join, lambda _user: _welcome(tenant), "workspaces/invitation.html", **page)


@workspace_bp.get("/")
def dashboard():
    return render_template("workspaces/dashboard.html", member_count=queries.member_count(g.tenant),
                           panels=signals.panels(signals.dashboard_panels, membership=g.membership))


@workspace_bp.get("/members")
def members():
    return render_template(
        "workspaces/members.html",
        members=queries.members_page(g.tenant, request.args.get("page", 1, type=whole_number)),
        role_form=forms.RoleForm(),
        remove_form=EmptyForm(),
        can_manage=has_role(g.membership, "admin"),
    )


@workspace_bp.post("/members/<int:membership_id>/role")
def change_role(membership_id):
    target = queries.membership_in(g.tenant, membership_id) or abort(404)
    form = forms.RoleForm()
    return button_view(lambda: operations.change_role(target, form.role.data, by=g.membership),
                       lambda _result: flash(_("The role of %(name)s is changed.", name=target.user.name), "success"),
                       url_for("workspace.members"), form=form)


@workspace_bp.post("/members/<int:membership_id>/remove")
def remove_member(membership_id):
    target = queries.membership_in(g.tenant, membership_id) or abort(404)
    leaving = target.id == g.membership.id
    name = target.user.name

    def done(_result):
        if leaving:
            flash(_("You have left %(workspace)s.", workspace=g.tenant.name), "info")
            return redirect(url_for("workspaces.index"))
        flash(_("%(name)s is no longer a member.", name=name), "success")

    return button_view(lambda: operations.remove_member(target, by=g.membership), done, url_for("workspace.members"))


@workspace_bp.route("/invitations", methods=["GET", "POST"])
def invitations():
    form = forms.InvitationForm(locale=g.tenant.default_locale)
    if form.is_submitted():
        # Refuse before validating: a non-admin gets 403 whatever they sent.
        require_role(g.membership, "admin")

    def done(_invitation):
        flash(_("The invitation is on its way to %(email)s.", email=form.email.data), "success")
        return redirect(url_for("workspace.invitations"))

    return form_view(
        form, lambda: operations.invite(g.tenant, form.email.data, form.role.data, form.locale.data, by=g.membership),
        done, "workspaces/invitations.html",
        open_invitations=queries.open_invitations_page(request.args.get("page", 1, type=whole_number)),
        revoke_form=EmptyForm(),
        can_manage=has_role(g.membership, "admin"),
    )


@workspace_bp.post("/invitations/<int:invitation_id>/revoke")
def revoke_invitation(invitation_id):
    found = get_or_404(Invitation, invitation_id)
    return button_view(lambda: operations.revoke_invitation(found, by=g.membership),
                       lambda _result: flash(_("The invitation to %(email)s is withdrawn.", email=found.email), "info"),
                       url_for("workspace.invitations"))


@workspace_bp.route("/settings", methods=["GET", "POST"])
def settings():
    form = forms.SettingsForm(obj=g.tenant)
    if form.is_submitted():
        # Refuse before validating: a non-admin gets 403 whatever they sent.
        require_role(g.membership, "admin")

    def done(_result):
        flash(_("The settings are saved."), "success")
        return redirect(url_for("workspace.settings"))

    can_manage = has_role(g.membership, "admin")
    return form_view(
        form, lambda: operations.update_settings(
            g.tenant, by=g.membership, name=form.name.data, default_locale=form.default_locale.data,
            time_zone=form.time_zone.data, requires_admin_two_factor=form.requires_admin_two_factor.data),
        done, "workspaces/settings.html", can_manage=can_manage,
        failed_mail=failed_mail(g.tenant.id) if can_manage else [])
