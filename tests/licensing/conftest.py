import pytest

from licensing import crypto

# One key per test session; generated here, never stored in the repository.
TEST_SIGNING_PEM = crypto.new_private_key_pem().decode()


@pytest.fixture(autouse=True)
def signing_key(settings, tmp_path):
    settings.LIMON_SIGNING_KEY = TEST_SIGNING_PEM
    settings.LIMON_SIGNING_KEY_FILE = tmp_path / "absent.pem"
    return crypto.signing_key()


@pytest.fixture
def public_key_pem(signing_key) -> str:
    return signing_key.public_pem
