"""Benchmarks of issue 7: commands, rebuild, queries and memory, each against a baseline."""
