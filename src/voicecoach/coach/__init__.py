"""The coach: what is worth saying, when, and when to stay quiet."""
