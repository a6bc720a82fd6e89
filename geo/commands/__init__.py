"""One module per ``python -m geo`` command (see :mod:`geo.cli`)."""
