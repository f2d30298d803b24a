"""The Ledger's commands, one module per kind of aggregate they act on."""
