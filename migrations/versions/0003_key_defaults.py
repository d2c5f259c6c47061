"""Per-key defaults for the compatible APIs (mode, search budget) and a monthly character quota.

Revision ID: 0003_key_defaults
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_key_defaults"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys") as table:
        table.add_column(sa.Column("default_mode", sa.String(16), nullable=True))
        table.add_column(sa.Column("default_budget", sa.String(16), nullable=True))
        table.add_column(sa.Column("characters_per_month", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_keys") as table:
        table.drop_column("characters_per_month")
        table.drop_column("default_budget")
        table.drop_column("default_mode")
