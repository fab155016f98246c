"""The organisation tests' two workspaces (DK2020 Midtjylland, Trollhättans stad) serve here too."""
from tests.tenants.organisations.conftest import dk, se  # noqa: F401
