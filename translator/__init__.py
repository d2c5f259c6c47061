"""Colloquial e-commerce translation with Marco-o1 style reasoning search.

Packages from the front ends down: cli, api, jobs and evaluation call the use case in
`translating`, which runs a mode (`prompting`) or the search (`search`) on an engine (`engines`);
`store`, `text`, `settings` and `errors` sit below. docs/development.md has the map.
"""
