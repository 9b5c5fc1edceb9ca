from gbetix_core.cli import run

run()
