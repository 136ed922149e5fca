"""``python -m feedwright`` runs the CLI."""

from __future__ import annotations

from feedwright.cli import main

main()
