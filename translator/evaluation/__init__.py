"""Evaluation runs: test sets and their scores, runs over modes and budgets, the quality plot."""
