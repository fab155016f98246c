"""Fixtures for the group pages: seed 004's DK2020 Midtjylland and seed 003's Trollhättan."""
import pytest

from tests.tenants.bodies import structures


@pytest.fixture
def midtjylland(app_context):
    return structures.build_midtjylland()


@pytest.fixture
def trollhattan(app_context):
    return structures.build_trollhattan()
