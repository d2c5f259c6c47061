"""Catalog batch jobs: files in and out, rows planned into segments, chunks run as DBOS
workflows."""
