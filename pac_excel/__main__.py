"""``python -m pac_excel`` runs the same command as ``pac-excel``."""

from pac_excel.cli import run

if __name__ == "__main__":  # a spawned worker (Windows) imports this module as __mp_main__
    run()
