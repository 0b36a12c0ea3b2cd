"""Industry patent database: trademarks, import jobs and row errors, PostgreSQL search tables

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 05:00:00

The search tables are derived data for the PostgreSQL search backend (a jieba-segmented
tsvector with a GIN index); on SQLite they exist but stay empty (Whoosh keeps its own files).
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

INDUSTRY = ('carbon_materials', 'high_end_equipment', 'new_energy_vehicles', 'it_innovation', 'semiconductors',
            'special_steel', 'energy_environment', 'biomedicine', 'hydrogen')


def _industry():
    return sa.Enum(*INDUSTRY, name='industry', native_enum=False, create_constraint=True, length=32)


def upgrade():
    is_pg = op.get_bind().dialect.name == 'postgresql'

    op.create_table('trademarks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_number', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('nice_class', sa.Integer(), nullable=False),
    sa.Column('registrant', sa.String(length=300), nullable=False),
    sa.Column('filing_date', sa.Date(), nullable=True),
    sa.Column('registration_date', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'registered', 'expired', 'cancelled', 'invalidated', 'rejected', name='trademarkstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('industry', _industry(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('nice_class BETWEEN 1 AND 45', name=op.f('ck_trademarks_nice_class_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trademarks')),
    sa.UniqueConstraint('registration_number', name=op.f('uq_trademarks_registration_number'))
    )
    with op.batch_alter_table('trademarks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trademarks_industry'), ['industry'], unique=False)
        batch_op.create_index(batch_op.f('ix_trademarks_nice_class'), ['nice_class'], unique=False)
        batch_op.create_index(batch_op.f('ix_trademarks_registrant'), ['registrant'], unique=False)
        batch_op.create_index(batch_op.f('ix_trademarks_status'), ['status'], unique=False)

    op.create_table('import_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('patents', 'trademarks', name='importkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='importstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_path', sa.String(length=500), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=True),
    sa.Column('industry', _industry(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('processed_rows', sa.Integer(), nullable=False),
    sa.Column('created_rows', sa.Integer(), nullable=False),
    sa.Column('updated_rows', sa.Integer(), nullable=False),
    sa.Column('unchanged_rows', sa.Integer(), nullable=False),
    sa.Column('error_rows', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('message_params', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_import_jobs_center_id_centers')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_import_jobs_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_jobs'))
    )
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_jobs_center_id'), ['center_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_jobs_status'), ['status'], unique=False)

    op.create_table('import_row_errors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('column', sa.String(length=100), nullable=False),
    sa.Column('value', sa.String(length=500), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['import_jobs.id'], name=op.f('fk_import_row_errors_job_id_import_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_row_errors'))
    )
    with op.batch_alter_table('import_row_errors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_row_errors_job_id'), ['job_id'], unique=False)

    op.create_table('search_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sort_date', sa.Date(), nullable=True),
    sa.Column('tsv', postgresql.TSVECTOR() if is_pg else sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_documents')),
    sa.UniqueConstraint('kind', 'object_id', name='uq_search_documents_kind_object')
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_documents_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_documents_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_documents_sort_date'), ['sort_date'], unique=False)
        # GIN on PostgreSQL; on SQLite a plain index over an always-empty column
        batch_op.create_index('ix_search_documents_tsv', ['tsv'], unique=False, postgresql_using='gin')

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

    # Analysis pages group patents by applicant name and IPC code; the IPC table already has an
    # index on code and applicants one on name (0001).


def downgrade():
    with op.batch_alter_table('search_facets', schema=None) as batch_op:
        batch_op.drop_index('ix_search_facets_field_value')
        batch_op.drop_index(batch_op.f('ix_search_facets_document_id'))
    op.drop_table('search_facets')
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_search_documents_tsv')
        batch_op.drop_index(batch_op.f('ix_search_documents_sort_date'))
        batch_op.drop_index(batch_op.f('ix_search_documents_org_id'))
        batch_op.drop_index(batch_op.f('ix_search_documents_number'))
    op.drop_table('search_documents')
    with op.batch_alter_table('import_row_errors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_row_errors_job_id'))
    op.drop_table('import_row_errors')
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_jobs_status'))
        batch_op.drop_index(batch_op.f('ix_import_jobs_center_id'))
    op.drop_table('import_jobs')
    with op.batch_alter_table('trademarks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trademarks_status'))
        batch_op.drop_index(batch_op.f('ix_trademarks_registrant'))
        batch_op.drop_index(batch_op.f('ix_trademarks_nice_class'))
        batch_op.drop_index(batch_op.f('ix_trademarks_industry'))
    op.drop_table('trademarks')
