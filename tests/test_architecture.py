"""The house's seams: imports run one way, and a domain plugs in by its name alone.

DESIGN: the platform never imports a tenant domain; a tenant domain imports
only the domains before it in the list (organisations <- people <- bodies <-
...); the platform has no import circle. Read from the source with `ast`,
imports inside functions included: an import that only runs later is still a
dependency.
"""
import ast
import sys
import textwrap
from pathlib import Path

import pytest

from samklima import DOMAINS, create_app
from samklima.extensions import db
from samklima.platform import scheduler
from tests import factories
from tests.conftest import TEST_CONFIG, Browser

PACKAGE = Path(__file__).resolve().parents[1] / "samklima"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports_of(module: str) -> set[str]:
    """The modules of ours that `module` imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name in MODULES and name != module}


def domain_of(module: str) -> str | None:
    """The domain package a module belongs to ("samklima.tenants.bodies"), if any."""
    return next((domain for domain in DOMAINS if module == domain or module.startswith(domain + ".")), None)


def test_every_tenant_module_belongs_to_a_listed_domain():
    strays = [m for m in MODULES if m.startswith("samklima.tenants.") and domain_of(m) is None]
    assert strays == []


def test_the_platform_imports_no_tenant_domain():
    found = [f"{module} -> {imported}" for module in MODULES if module.startswith("samklima.platform")
             for imported in imports_of(module) if imported.startswith("samklima.tenants")]
    assert found == []


def test_no_tenant_domain_imports_a_later_one():
    rank = {domain: number for number, domain in enumerate(DOMAINS)}
    found = [f"{module} -> {imported}" for module in MODULES if domain_of(module)
             for imported in imports_of(module)
             if domain_of(imported) and rank[domain_of(imported)] > rank[domain_of(module)]]
    assert found == []


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected parts of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            part = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                part.append(other)
                if other == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_the_platform_has_no_import_circle():
    platform = {m for m in MODULES if m.startswith("samklima.platform")}
    assert circles({m: imports_of(m) & platform for m in platform}) == []


def test_the_circle_finder_finds_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


# A domain of its own, in a folder the app knows nothing of: one page, one job, one panel.
THROWAWAY = '''
    """A throw-away domain: one page, one job, one panel on the overview, one menu entry."""
    from flask import Blueprint
    from markupsafe import Markup

    from samklima.platform import signals
    from samklima.platform.domains import mount_in_workspace

    bp = Blueprint("throwaway", __name__)


    @bp.get("/throwaway")
    def page():
        return "the throw-away page"


    def count_one(tenant):
        return 1


    def register(app):
        mount_in_workspace(app, bp)
        signals.answer_always(signals.scheduled_jobs, [("throwaway_job", count_one)], app)
        signals.answer_always(signals.menu_entries, signals.MenuEntry(90, "throwaway.page", "Throw-away"), app)
        signals.connect(signals.dashboard_panels,
                        lambda app, membership: signals.Panel(90, Markup("<p>the throw-away panel</p>")), app)
'''


@pytest.fixture
def app_with_a_new_domain(tmp_path, database, monkeypatch):
    (tmp_path / "throwaway_domain").mkdir()
    (tmp_path / "throwaway_domain" / "__init__.py").write_text(textwrap.dedent(THROWAWAY))
    monkeypatch.syspath_prepend(str(tmp_path))
    owner_url, app_url = database
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": owner_url,
                      "APP_DATABASE_URL": app_url if app_url != owner_url else None,
                      "SAMKLIMA_DOMAINS": (*DOMAINS, "throwaway_domain")})
    yield app
    with app.app_context():
        db.engine.dispose()
    sys.modules.pop("throwaway_domain", None)


def test_a_new_domain_plugs_in_by_adding_its_name_to_the_list(app_with_a_new_domain, app):
    new = app_with_a_new_domain
    with new.app_context():
        lene = factories.make_user("lene@dk2020.example", "Lene Bach Kristensen")
        factories.make_workspace("dk2020-midtjylland", "DK2020 Midtjylland", "DK", lene)
        assert scheduler.run_jobs("throwaway_job") == {"throwaway_job": 1}
        db.session.remove()
    browser = Browser(new)
    browser.login("lene@dk2020.example")
    assert browser.get("/dk2020-midtjylland/throwaway").get_data(as_text=True) == "the throw-away page"
    overview = browser.get("/dk2020-midtjylland/").get_data(as_text=True)
    assert "<p>the throw-away panel</p>" in overview
    assert 'href="/dk2020-midtjylland/throwaway"' in overview
    # The app without it in its list has none of it.
    assert "throwaway.page" not in app.view_functions
    with app.app_context():
        assert "throwaway_job" not in scheduler.jobs()
