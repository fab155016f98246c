from tests import factories


def test_signed_in_member_sees_their_workspace(app, browser):
    with app.app_context():
        owner = factories.make_user("lene@dk2020.example", "Lene Bach Kristensen", "da")
        factories.make_workspace("dk2020-midtjylland", "DK2020 Midtjylland", "DK", owner)
    browser.login("lene@dk2020.example")
    page = browser.get("/dk2020-midtjylland/members")
    assert page.status_code == 200
    assert "Lene Bach Kristensen" in page.get_data(as_text=True)
