"""fremdrift's demo and benchmark data, kept out of the production package.

A Django app (``fremdrift_demo``) that fremdrift's settings install only
when this distribution is importable and FREMDRIFT_HTTPS is off: ``make
install`` installs it for developers, ``pip install .`` of fremdrift does
not. Its commands run through the ``fremdrift`` console script:

- ``demo_registrations``: generated registrations for the fictional plan
  Eksempelby (``eksempelby``; docs/demo.md)
- ``demo_users``, ``demo_totp``: the demo's users and their one-time codes
  (``FREMDRIFT_DEMO=1`` only)
- ``bench generate``: the national benchmark's fictional plans (``bench``;
  docs/scaling.md)

fremdrift never imports this package (an import-linter contract).
"""
