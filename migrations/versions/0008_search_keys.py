"""search documents carry their facet and keyword values as arrays (GIN); search_facets goes

At 100k patents a faceted query joined a million search_facets rows (seconds); counting an array
of the matched rows themselves takes a fraction of that. On PostgreSQL the rows indexed so far
keep their values (copied from search_facets), so no reindex is needed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 10:30:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

FACET_FIELDS = ('kind', 'type', 'status', 'industry', 'year', 'ipc_section', 'ipc_class', 'applicant')


def _keys_type(is_pg: bool):
    return postgresql.ARRAY(sa.Text()) if is_pg else sa.JSON()


def upgrade():
    is_pg = op.get_bind().dialect.name == 'postgresql'
    empty = sa.text("'{}'") if is_pg else sa.text("'[]'")
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('facets', _keys_type(is_pg), nullable=False, server_default=empty))
        batch_op.add_column(sa.Column('keys', _keys_type(is_pg), nullable=False, server_default=empty))
    if is_pg:
        fields = ", ".join(f"'{f}'" for f in FACET_FIELDS)
        op.execute("UPDATE search_documents d SET facets = f.a FROM (SELECT document_id, array_agg(field || '=' || value) a "
                   f"FROM search_facets WHERE field IN ({fields}) GROUP BY document_id) f WHERE f.document_id = d.id")
        op.execute("UPDATE search_documents d SET keys = f.a FROM (SELECT document_id, array_agg(field || '=' || value) a "
                   "FROM search_facets GROUP BY document_id) f WHERE f.document_id = d.id")
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.alter_column('facets', server_default=None)
        batch_op.alter_column('keys', server_default=None)
        batch_op.create_index('ix_search_documents_keys', ['keys'], unique=False, postgresql_using='gin')
    with op.batch_alter_table('search_facets', schema=None) as batch_op:
        batch_op.drop_index('ix_search_facets_field_value')
        batch_op.drop_index(batch_op.f('ix_search_facets_document_id'))
    op.drop_table('search_facets')


def downgrade():
    # the index is derived data: after a downgrade, `flask search-reindex` fills search_facets again
    op.create_table('search_facets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['search_documents.id'], name=op.f('fk_search_facets_document_id_search_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_facets'))
    )
    with op.batch_alter_table('search_facets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_facets_document_id'), ['document_id'], unique=False)
        batch_op.create_index('ix_search_facets_field_value', ['field', 'value'], unique=False)
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_search_documents_keys', postgresql_using='gin')
        batch_op.drop_column('keys')
        batch_op.drop_column('facets')
