"""Counters that brake guessing (wrong page passwords per client address), kept in the
database, where no cache eviction can reach them, and increased atomically."""
