"""The accessibility statement that the Web Accessibility Directive asks for, linked from every page."""
import pytest


def test_every_page_links_to_the_accessibility_statement(browser):
    page = browser.get("/login").get_data(as_text=True)
    assert 'href="/accessibility"' in page


def test_statement_gives_status_contact_enforcement_and_date(browser):
    response = browser.get("/accessibility", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "WCAG" in page and "2.1" in page and "EN 301 549" in page and "2016/2102" in page
    assert "We know of no limitations" in page
    assert '<a href="mailto:accessibility@samklima.example">accessibility@samklima.example</a>' in page
    for body in ("Digitaliseringsstyrelsen", "DIGG", "Uu-tilsynet", "Traficom"):
        assert body in page


@pytest.mark.parametrize(
    ("locale", "denmark", "prepared"),
    [("en", "Denmark", "23 November 2026"), ("da", "Danmark", "23. november 2026"), ("fi", "Tanska", "23. marraskuuta 2026")],
)
def test_statement_names_countries_and_date_in_the_readers_language(browser, locale, denmark, prepared):
    page = browser.get("/accessibility", headers={"Accept-Language": locale}).get_data(as_text=True)
    assert f'<html lang="{locale}">' in page
    assert f"{denmark}: Digitaliseringsstyrelsen" in page
    assert prepared in page
