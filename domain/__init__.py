"""Inspection Ledger's domain: frameworks, rules, aggregates and the application's commands."""
