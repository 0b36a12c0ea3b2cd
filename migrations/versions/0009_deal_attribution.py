"""a deal counts once and for one center: unique recordal numbers, the attribution's reason,
and one offline deal per patents + parties + completion date

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('center_reason', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('offline_key', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_deals_offline_key'), ['offline_key'])
    # fails on purpose if two deals already share a recordal number: decide which one it is first
    op.create_index('uq_deals_recordal_number', 'deals', ['recordal_number'], unique=True,
                    postgresql_where=sa.text("recordal_number <> ''"), sqlite_where=sa.text("recordal_number <> ''"))


def downgrade():
    op.drop_index('uq_deals_recordal_number', table_name='deals')
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_deals_offline_key'), type_='unique')
        batch_op.drop_column('offline_key')
        batch_op.drop_column('center_reason')
