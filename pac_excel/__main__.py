"""``python -m pac_excel`` runs the same command as ``pac-excel``."""

from pac_excel.cli import main

main()
