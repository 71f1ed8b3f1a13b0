"""``python -m oxysim`` runs the command line."""

from oxysim.cli import main

main()
