"""The golden log: events as each released version wrote them, read by every later version."""
