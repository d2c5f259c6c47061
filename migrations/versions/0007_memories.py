"""Translation memories: memories and their approved pairs, a key's default memory, and the
digest of the memory examples a cached translation was made with.

Revision ID: 0007_memories
Revises: 0006_job_row_language
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_memories"
down_revision: str | None = "0006_job_row_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "memories",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("owner", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("source_language", sa.String(16), nullable=False),
        sa.Column("target_language", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_memories"),
        sa.UniqueConstraint("owner", "name", name="uq_memories_owner"),
    )
    op.create_table(
        "memory_entries",
        sa.Column("memory_id", sa.String(36), nullable=False),
        sa.Column("source_key", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("target_text", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("translation_id", sa.String(36), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["memory_id"],
            ["memories.id"],
            name="fk_memory_entries_memory_id_memories",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("memory_id", "source_key", name="pk_memory_entries"),
    )
    op.create_index(
        "ix_memory_entries_memory_id_position", "memory_entries", ["memory_id", "position"]
    )
    with op.batch_alter_table("api_keys") as table:
        table.add_column(sa.Column("default_memory", sa.String(200), nullable=True))
    with op.batch_alter_table("translations") as table:
        table.add_column(sa.Column("memory_version", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("translations") as table:
        table.drop_column("memory_version")
    with op.batch_alter_table("api_keys") as table:
        table.drop_column("default_memory")
    op.drop_index("ix_memory_entries_memory_id_position", table_name="memory_entries")
    op.drop_table("memory_entries")
    op.drop_table("memories")
