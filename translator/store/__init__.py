"""The translation cache and API keys in SQL: SQLite by default, PostgreSQL by URL.

Modules: `models` (tables), `database` (engines and sessions), `cache_key` (what makes two
requests the same), `repository` (translations and traces), `keys` (API keys and their usage),
`migrate` (Alembic upgrades from code).
"""

from __future__ import annotations

__all__: list[str] = []
