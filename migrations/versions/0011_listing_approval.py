"""members' listings wait for their organisation administrator's approval before publishing

organisations.listing_approval: whether a member's listing needs the administrator's approval (on
for universities, where technology-transfer offices review what researchers offer; off for the
others); listings.submitted_at / approved_by_id: the request and who approved it.

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('listing_approval', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE organisations SET listing_approval = TRUE WHERE kind = 'university'")
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('approved_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_listings_approved_by_id_users'), 'users', ['approved_by_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_listings_submitted_at'), ['submitted_at'], unique=False)


def downgrade():
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listings_submitted_at'))
        batch_op.drop_constraint(batch_op.f('fk_listings_approved_by_id_users'), type_='foreignkey')
        batch_op.drop_column('approved_by_id')
        batch_op.drop_column('submitted_at')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('listing_approval')
