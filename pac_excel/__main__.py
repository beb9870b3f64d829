"""``python -m pac_excel`` runs the same command as ``pac-excel``."""

from .cli import main

main()
