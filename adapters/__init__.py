"""Adapters: persistence settings, importers, identity and configuration."""
