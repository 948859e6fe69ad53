"""Question sets, runs over configurations, and retrieval metrics."""
