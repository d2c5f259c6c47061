"""Idiom glossary for e-commerce slang: data, matching, import/export (filled by its own issue)."""
