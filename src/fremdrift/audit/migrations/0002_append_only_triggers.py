"""Database triggers that refuse UPDATE and DELETE of the access log and
its reviews, on SQLite and PostgreSQL alike (see fremdrift.audit.triggers)."""

from django.db import migrations


def create(apps, schema_editor):
    from fremdrift.audit.triggers import create_statements

    for statement in create_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    from fremdrift.audit.triggers import drop_statements

    for statement in drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
