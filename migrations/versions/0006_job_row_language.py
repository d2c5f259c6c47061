"""The language detected for each catalog row, so that a job can report the rows whose language
differs from the rest of its catalog.

Revision ID: 0006_job_row_language
Revises: 0005_job_row_qa
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_job_row_language"
down_revision: str | None = "0005_job_row_qa"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job_rows") as table:
        table.add_column(sa.Column("language", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job_rows") as table:
        table.drop_column("language")
