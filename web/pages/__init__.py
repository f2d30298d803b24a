"""HTML pages, one blueprint per audience."""
