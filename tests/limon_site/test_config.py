import pytest

from limon_site import config
from limon_site.errors import ValidationFailed
from limon_site.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    def validate(values):
        if values["interval"] < 10:
            raise ValidationFailed(
                "interval too short", details={"fields": {"interval": [">= 10"]}}
            )
        return values

    return config.register_section(
        "testsection",
        {"interval": 300, "enabled": True, "token": ""},
        validate=validate,
        secret_keys=("token",),
    )


def test_layers_defaults_then_file_then_environment_then_database(
    section, settings, tmp_path, monkeypatch
):
    assert config.get("testsection")["interval"] == 300
    config_file = tmp_path / "config.yml"
    config_file.write_text("testsection:\n  interval: 120\n  enabled: false\n")
    settings.LIMON_CONFIG_FILE = config_file
    assert config.get("testsection") == {"interval": 120, "enabled": False, "token": ""}
    monkeypatch.setenv("LIMON_TESTSECTION_INTERVAL", "90")
    assert config.get("testsection")["interval"] == 90
    config.update("testsection", {"interval": 60}, actor="user:alice")
    assert config.get("testsection")["interval"] == 60


def test_updates_are_validated_and_audited_with_old_and_new_values(section):
    with pytest.raises(ValidationFailed):
        config.update("testsection", {"interval": 5})
    with pytest.raises(ValidationFailed):
        config.update("testsection", {"unknown": 1})
    assert config.get("testsection")["interval"] == 300
    config.update("testsection", {"interval": 600, "token": "s3cret"}, actor="user:bob")
    event = AuditEvent.objects.get(action="config.updated", target_id="testsection")
    assert event.actor == "user:bob"
    assert event.changes["interval"] == {"old": 300, "new": 600}
    assert "s3cret" not in str(event.changes)
    assert config.redacted("testsection")["token"] == "********"


def test_yaml_export_and_import_round_trip(section):
    config.update("testsection", {"interval": 700})
    exported = config.export_yaml()
    config.update("testsection", {"interval": 800})
    config.import_yaml(exported)
    assert config.get("testsection")["interval"] == 700
    with pytest.raises(ValidationFailed):
        config.import_yaml("nosuchsection: {a: 1}")
    with pytest.raises(ValidationFailed):
        config.import_yaml("testsection: [unclosed")
