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

    args = list(sys.argv if argv is None else ["fremdrift", *argv])
    args[0] = "fremdrift"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
