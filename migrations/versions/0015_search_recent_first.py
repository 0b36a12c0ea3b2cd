"""search documents in date order, newest first: a filter-only search (ipc:H01M) reads its first page
from this index instead of sorting every match

Revision ID: 0015
Revises: 0009
Create Date: 2026-12-01 16:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':  # the PostgreSQL search backend's; SQLite has no NULLS LAST here
        op.create_index('ix_search_documents_recent', 'search_documents',
                        [sa.text('sort_date DESC NULLS LAST'), sa.text('id DESC')], unique=False)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_search_documents_recent', table_name='search_documents')
