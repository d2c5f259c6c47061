"""Idiom glossary for e-commerce slang: built-in data, matching, rendering checks, file formats.

This package knows nothing of engines, prompts or storage: the translator asks it which terms a
source text contains (`TermMatcher`) and whether a translation rendered them (`check_rendering`).
"""
