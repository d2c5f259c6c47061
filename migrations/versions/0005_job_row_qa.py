"""QA findings of a catalog job's rows (NULL when a row has none).

Revision ID: 0005_job_row_qa
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_job_row_qa"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job_rows") as table:
        table.add_column(sa.Column("qa", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job_rows") as table:
        table.drop_column("qa")
