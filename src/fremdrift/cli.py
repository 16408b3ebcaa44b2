"""The ``fremdrift`` console script: forwards to Django management commands.

``fremdrift load FOLDER`` is ``django-admin load FOLDER`` with fremdrift's
settings; the commands themselves live in the apps' ``management/commands``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fremdrift.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    from fremdrift.base.commands import missing_schema_message

    args = list(sys.argv if argv is None else ["fremdrift", *argv])
    args[0] = "fremdrift"
    try:
        execute_from_command_line(args)
    except DatabaseError as error:
        # Django's own commands (createsuperuser, dumpdata ...) on a database
        # never migrated: one line, as fremdrift's commands say it.
        message = missing_schema_message(error)
        if message is None:
            raise
        sys.stderr.write(f"CommandError: {message}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
