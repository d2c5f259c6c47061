"""User glossaries and their entries.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "glossaries",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("owner", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("source_language", sa.String(16), nullable=False),
        sa.Column("target_language", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_glossaries"),
        sa.UniqueConstraint("owner", "name", name="uq_glossaries_owner"),
    )
    op.create_table(
        "glossary_entries",
        sa.Column("glossary_id", sa.String(36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("forms", sa.JSON(), nullable=False),
        sa.Column("preferred", sa.JSON(), nullable=False),
        sa.Column("acceptable", sa.JSON(), nullable=False),
        sa.Column("meaning", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["glossary_id"],
            ["glossaries.id"],
            name="fk_glossary_entries_glossary_id_glossaries",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("glossary_id", "position", name="pk_glossary_entries"),
    )


def downgrade() -> None:
    op.drop_table("glossary_entries")
    op.drop_table("glossaries")
