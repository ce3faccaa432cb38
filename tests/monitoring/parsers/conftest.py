import pytest


@pytest.fixture(autouse=True)
def _relaxed_limits():
    """Parser tests are pure: no settings, cache or database (overrides the root fixture)."""
    yield
