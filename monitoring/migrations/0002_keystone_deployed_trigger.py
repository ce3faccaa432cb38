"""The keystone of an application must be a feature on a server the application is deployed on.

A CHECK constraint cannot look at other tables, so triggers hold the rule in the database:
* setting a keystone outside the application's deployments is refused (integrity error);
* removing or moving the deployment the keystone lives on clears the keystone, so cascades
  (deleting an application with its deployments) keep working.
``monitoring.services.applications`` checks the first rule itself to answer a clear 400, and
clears (and audits) a stranded keystone before it removes or moves a deployment, so the second
trigger only acts for writes that bypass the services.
"""

from django.db import migrations

NOT_DEPLOYED = """
    SELECT 1 FROM monitoring_feature f
    JOIN monitoring_deployment d ON d.server_id = f.server_id
    WHERE f.id = NEW.keystone_feature_id AND d.application_id = NEW.id
"""
POSTGRESQL = [
    f"""
    CREATE FUNCTION monitoring_keystone_deployed() RETURNS trigger AS $$
    BEGIN
        IF NEW.keystone_feature_id IS NOT NULL AND NOT EXISTS ({NOT_DEPLOYED}) THEN
            RAISE EXCEPTION 'keystone feature % is not deployed for application %',
                NEW.keystone_feature_id, NEW.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER monitoring_keystone_deployed
    BEFORE INSERT OR UPDATE OF keystone_feature_id ON monitoring_application
    FOR EACH ROW EXECUTE FUNCTION monitoring_keystone_deployed();
    """,
    """
    CREATE FUNCTION monitoring_keystone_deployment_gone() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR NEW.server_id <> OLD.server_id
           OR NEW.application_id <> OLD.application_id THEN
            UPDATE monitoring_application SET keystone_feature_id = NULL
            WHERE id = OLD.application_id AND keystone_feature_id IN (
                SELECT id FROM monitoring_feature WHERE server_id = OLD.server_id);
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER monitoring_keystone_deployment_gone
    AFTER DELETE OR UPDATE OF server_id, application_id ON monitoring_deployment
    FOR EACH ROW EXECUTE FUNCTION monitoring_keystone_deployment_gone();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS monitoring_keystone_deployment_gone ON monitoring_deployment",
    "DROP FUNCTION IF EXISTS monitoring_keystone_deployment_gone()",
    "DROP TRIGGER IF EXISTS monitoring_keystone_deployed ON monitoring_application",
    "DROP FUNCTION IF EXISTS monitoring_keystone_deployed()",
]

SQLITE = [
    f"""
    CREATE TRIGGER monitoring_keystone_deployed_insert
    BEFORE INSERT ON monitoring_application
    WHEN NEW.keystone_feature_id IS NOT NULL AND NOT EXISTS ({NOT_DEPLOYED})
    BEGIN SELECT RAISE(ABORT, 'keystone feature is not deployed for the application'); END
    """,
    f"""
    CREATE TRIGGER monitoring_keystone_deployed_update
    BEFORE UPDATE OF keystone_feature_id ON monitoring_application
    WHEN NEW.keystone_feature_id IS NOT NULL AND NOT EXISTS ({NOT_DEPLOYED})
    BEGIN SELECT RAISE(ABORT, 'keystone feature is not deployed for the application'); END
    """,
    """
    CREATE TRIGGER monitoring_keystone_deployment_delete
    AFTER DELETE ON monitoring_deployment
    BEGIN
        UPDATE monitoring_application SET keystone_feature_id = NULL
        WHERE id = OLD.application_id AND keystone_feature_id IN (
            SELECT id FROM monitoring_feature WHERE server_id = OLD.server_id);
    END
    """,
    """
    CREATE TRIGGER monitoring_keystone_deployment_move
    AFTER UPDATE OF server_id, application_id ON monitoring_deployment
    WHEN NEW.server_id <> OLD.server_id OR NEW.application_id <> OLD.application_id
    BEGIN
        UPDATE monitoring_application SET keystone_feature_id = NULL
        WHERE id = OLD.application_id AND keystone_feature_id IN (
            SELECT id FROM monitoring_feature WHERE server_id = OLD.server_id);
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS monitoring_keystone_deployment_move",
    "DROP TRIGGER IF EXISTS monitoring_keystone_deployment_delete",
    "DROP TRIGGER IF EXISTS monitoring_keystone_deployed_update",
    "DROP TRIGGER IF EXISTS monitoring_keystone_deployed_insert",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
