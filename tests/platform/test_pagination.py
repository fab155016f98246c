"""Long lists come in pages of 50, with links to the next and previous page."""
import sqlalchemy as sa

from samklima.extensions import db
from samklima.platform.accounts.models import User
from samklima.platform.clock import utcnow
from samklima.platform.workspaces.models import TenantMembership
from tests import factories


def test_members_come_in_pages_of_fifty(app, browser):
    with app.app_context():
        lene = factories.make_user("lene@dk2020.example", "Aase Lene Kristensen", "en")
        tenant = factories.make_workspace("dk2020-midtjylland", "DK2020 Midtjylland", "DK", lene)
        now = utcnow()
        db.session.execute(sa.insert(User), [
            {"email": f"koordinator{n:03d}@kommune.example", "name": f"Koordinator {n:03d}",
             "password_hash": lene.password_hash, "is_operator": False, "created_at": now}
            for n in range(60)
        ])
        ids = db.session.scalars(sa.select(User.id).where(User.email.like("koordinator%"))).all()
        db.session.execute(sa.insert(TenantMembership), [
            {"tenant_id": tenant.id, "user_id": uid, "role": "member", "created_at": now} for uid in ids
        ])
        db.session.commit()
    browser.login("lene@dk2020.example")
    first = browser.get("/dk2020-midtjylland/members").get_data(as_text=True)
    assert "Aase Lene Kristensen" in first and "Koordinator 048" in first and "Koordinator 049" not in first
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = browser.get("/dk2020-midtjylland/members?page=2").get_data(as_text=True)
    assert "Koordinator 049" in second and "Koordinator 059" in second and 'rel="prev"' in second


def test_a_page_past_the_end_is_empty_not_an_error(app, browser):
    with app.app_context():
        lene = factories.make_user("lene@dk2020.example", "Lene Bach Kristensen", "en")
        factories.make_workspace("dk2020-midtjylland", "DK2020 Midtjylland", "DK", lene)
    browser.login("lene@dk2020.example")
    for url in ["/dk2020-midtjylland/members?page=99", "/dk2020-midtjylland/audit?page=abc",
                "/dk2020-midtjylland/invitations?page=-3"]:
        assert browser.get(url).status_code == 200, url
