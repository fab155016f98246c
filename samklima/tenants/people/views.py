"""People pages: the workspace's contacts, one person with their groups, the forms,
and inviting a contact to sign in.

Members and observers read; the workspace's secretariat, administrators and
owners write; inviting takes an administrator, as every invitation does.
"""
from dataclasses import asdict

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from samklima.config import LOCALE_NAMES
from samklima.platform import signals
from samklima.platform.forms import EmptyForm
from samklima.platform.permissions import has_role, require_role
from samklima.platform.tenancy import get_or_404
from samklima.platform.views import button_view, form_view
from samklima.platform.workspaces.queries import members_of
from samklima.tenants.organisations.queries import organisation_tree
from samklima.tenants.people import forms, operations, queries
from samklima.tenants.people.models import Person

bp = Blueprint("people", __name__, template_folder="templates")


@bp.context_processor
def labels():
    return {
        "locale_names": LOCALE_NAMES,
        "can_edit": has_role(g.get("membership"), "secretariat"),
        "can_invite": has_role(g.get("membership"), "admin"),
    }


@bp.get("/people")
def index():
    return render_template("people/index.html", people=queries.all_people())


@bp.get("/people/<int:person_id>")
def show(person_id):
    person = get_or_404(Person, person_id)
    return render_template(
        "people/show.html",
        person=person,
        panels=signals.panels(signals.person_panels, person=person),
        invitation=queries.open_invitation_for(person) if person.user_id is None else None,
        invite_form=EmptyForm(),
    )


def _fields(form) -> dict:
    return asdict(form.fields_for(operations.PersonFields))


def _form(**kwargs):
    return forms.PersonForm(organisation_tree(), members_of(g.tenant), **kwargs)


@bp.route("/people/new", methods=["GET", "POST"])
def create():
    require_role(g.membership, "secretariat")
    form = _form()

    def done(person):
        flash(_("%(name)s is added.", name=person.name), "success")
        return redirect(url_for("people.show", person_id=person.id))

    return form_view(form, lambda: operations.create_person(by=g.membership, **_fields(form)), done,
                     "people/form.html", person=None)


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
def edit(person_id):
    require_role(g.membership, "secretariat")
    person = get_or_404(Person, person_id)
    form = _form(obj=person)

    def done(_result):
        flash(_("The changes to %(name)s are saved.", name=person.name), "success")
        return redirect(url_for("people.show", person_id=person.id))

    return form_view(form, lambda: operations.update_person(person, by=g.membership, **_fields(form)), done,
                     "people/form.html", person=person)


@bp.post("/people/<int:person_id>/invite")
def invite(person_id):
    require_role(g.membership, "admin")
    person = get_or_404(Person, person_id)
    return button_view(lambda: operations.invite_person(person, by=g.membership, tenant=g.tenant),
                       lambda _result: flash(_("The invitation is on its way to %(email)s.", email=person.email), "success"),
                       url_for("people.show", person_id=person.id))
