"""global patents and imports that cannot be broken: a patent's office (受理局), kind code,
publication date, inventors and agency; an import job's heartbeat and the count of error cells
not kept

Revision ID: 0013
Revises: 0008
Create Date: 2026-12-01 09:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('patents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('office', sa.String(length=2), server_default='CN', nullable=False))
        batch_op.add_column(sa.Column('kind_code', sa.String(length=4), server_default='', nullable=False))
        batch_op.add_column(sa.Column('publication_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('inventors', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('agency', sa.String(length=200), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_patents_office'), ['office'], unique=False)
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('errors_not_kept', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('errors_not_kept')
    with op.batch_alter_table('patents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patents_office'))
        batch_op.drop_column('agency')
        batch_op.drop_column('inventors')
        batch_op.drop_column('publication_date')
        batch_op.drop_column('kind_code')
        batch_op.drop_column('office')
