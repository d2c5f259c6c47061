"""The `translator` command: the typer app in `main`, one module per command group, shared
options and exit codes in `options`."""
