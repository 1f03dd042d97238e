"""Compute: pure functions from a valid package to scores, changes, targets and progress."""
