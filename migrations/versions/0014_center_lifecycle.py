"""Center lifecycle: application conditions, oral defence, due diligence, public notice and
objections, credit file, equity injections, fund-use reports, closures and final acceptance

Also widens two CHECK constraints behind non-native enums: users.role / invitations.role gain
``custodian`` and center_applications.status gains the review, diligence, notice and
disqualified states. Going down refuses while a row uses a new value, rather than deleting it.

Revision ID: 0014
Revises: 0008
Create Date: 2026-12-01 09:34:25.541859

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0008'
branch_labels = None
depends_on = None


ROLES = ('member', 'org_admin', 'center_staff', 'bureau_staff', 'expert', 'platform_admin')
STATUSES = ('draft', 'submitted', 'approved', 'rejected', 'withdrawn')
NEW_STATUSES = ('review_passed', 'due_diligence', 'public_notice', 'disqualified')


def _check(table, name, column, values):
    """Replace the CHECK constraint behind a non-native enum (batch: SQLite rebuilds the table)."""
    listed = ", ".join(f"'{v}'" for v in values)
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
        batch_op.create_check_constraint(op.f(f'ck_{table}_{name}'), sa.text(f"{column} IN ({listed})"))


def upgrade():
    _check('users', 'role', 'role', ROLES + ('custodian',))
    _check('invitations', 'role', 'role', ROLES + ('custodian',))
    _check('center_applications', 'applicationstatus', 'status', STATUSES + NEW_STATUSES)

    op.create_table('acceptances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'passed', 'failed', name='acceptancestatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('outcome_note', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_acceptances_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_acceptances_decided_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_acceptances_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acceptances')),
    sa.UniqueConstraint('center_id', name=op.f('uq_acceptances_center_id'))
    )
    op.create_table('equity_injections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount_fen <> 0', name=op.f('ck_equity_injections_amount_nonzero')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_equity_injections_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_equity_injections_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_equity_injections'))
    )
    with op.batch_alter_table('equity_injections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_equity_injections_center_id'), ['center_id'], unique=False)

    op.create_table('fund_use_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('used_fen', sa.BigInteger(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('stored_name', sa.String(length=300), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('filed', 'accepted', 'misuse', name='fundreportstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=True),
    sa.Column('filed_at', sa.DateTime(), nullable=False),
    sa.Column('review_note', sa.Text(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('used_fen >= 0', name=op.f('ck_fund_use_reports_used_nonneg')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_fund_use_reports_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_fund_use_reports_filed_by_id_users')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_fund_use_reports_reviewed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_use_reports')),
    sa.UniqueConstraint('center_id', 'year', name='uq_fund_use_reports_center_year')
    )
    with op.batch_alter_table('fund_use_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_use_reports_center_id'), ['center_id'], unique=False)

    op.create_table('acceptance_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('acceptance_id', sa.Integer(), nullable=True),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('stored_name', sa.String(length=300), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['acceptance_id'], ['acceptances.id'], name=op.f('fk_acceptance_documents_acceptance_id_acceptances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_acceptance_documents_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_acceptance_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acceptance_documents'))
    )
    with op.batch_alter_table('acceptance_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acceptance_documents_acceptance_id'), ['acceptance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_acceptance_documents_center_id'), ['center_id'], unique=False)

    op.create_table('acceptance_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('acceptance_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.Column('scored_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('score IS NULL OR score BETWEEN 0 AND 100', name=op.f('ck_acceptance_reviews_score_range')),
    sa.ForeignKeyConstraint(['acceptance_id'], ['acceptances.id'], name=op.f('fk_acceptance_reviews_acceptance_id_acceptances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_acceptance_reviews_assigned_by_id_users')),
    sa.ForeignKeyConstraint(['expert_id'], ['users.id'], name=op.f('fk_acceptance_reviews_expert_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acceptance_reviews')),
    sa.UniqueConstraint('acceptance_id', 'expert_id', name='uq_acceptance_reviews_acceptance_expert')
    )
    with op.batch_alter_table('acceptance_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acceptance_reviews_acceptance_id'), ['acceptance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_acceptance_reviews_expert_id'), ['expert_id'], unique=False)

    op.create_table('center_closures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('fund_report_id', sa.Integer(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_center_closures_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_center_closures_closed_by_id_users')),
    sa.ForeignKeyConstraint(['fund_report_id'], ['fund_use_reports.id'], name=op.f('fk_center_closures_fund_report_id_fund_use_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_center_closures')),
    sa.UniqueConstraint('center_id', name=op.f('uq_center_closures_center_id'))
    )
    op.create_table('application_conditions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('stored_name', sa.String(length=300), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['center_applications.id'], name=op.f('fk_application_conditions_application_id_center_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_application_conditions_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_conditions')),
    sa.UniqueConstraint('application_id', 'key', name='uq_application_conditions_application_key')
    )
    with op.batch_alter_table('application_conditions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_conditions_application_id'), ['application_id'], unique=False)

    op.create_table('credit_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('false_material', 'serious_dishonesty', name='creditkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('legal_representative', sa.String(length=100), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('center_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('listed_on', sa.Date(), nullable=False),
    sa.Column('banned_until', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['center_applications.id'], name=op.f('fk_credit_records_application_id_center_applications')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_credit_records_center_id_centers')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_credit_records_org_id_organisations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_credit_records_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_records'))
    )
    with op.batch_alter_table('credit_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_records_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_credit_records_org_id'), ['org_id'], unique=False)

    op.create_table('defence_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('scored_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('score BETWEEN 0 AND 100', name=op.f('ck_defence_scores_score_range')),
    sa.ForeignKeyConstraint(['application_id'], ['center_applications.id'], name=op.f('fk_defence_scores_application_id_center_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['expert_id'], ['users.id'], name=op.f('fk_defence_scores_expert_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_defence_scores')),
    sa.UniqueConstraint('application_id', 'expert_id', name='uq_defence_scores_application_expert')
    )
    with op.batch_alter_table('defence_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_defence_scores_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_defence_scores_expert_id'), ['expert_id'], unique=False)

    op.create_table('defence_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('scheduled_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('attendance', sa.Text(), nullable=False),
    sa.Column('held_at', sa.DateTime(), nullable=True),
    sa.Column('scheduled_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['center_applications.id'], name=op.f('fk_defence_sessions_application_id_center_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scheduled_by_id'], ['users.id'], name=op.f('fk_defence_sessions_scheduled_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_defence_sessions')),
    sa.UniqueConstraint('application_id', name=op.f('uq_defence_sessions_application_id'))
    )
    op.create_table('due_diligences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('firm', sa.String(length=200), nullable=False),
    sa.Column('appointed_on', sa.Date(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Enum('pending', 'passed', 'failed', name='diligenceoutcome', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('concluded_on', sa.Date(), nullable=True),
    sa.Column('appointed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['center_applications.id'], name=op.f('fk_due_diligences_application_id_center_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['appointed_by_id'], ['users.id'], name=op.f('fk_due_diligences_appointed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_due_diligences')),
    sa.UniqueConstraint('application_id', name=op.f('uq_due_diligences_application_id'))
    )
    op.create_table('public_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('working_days', sa.Integer(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('calendar_fallback', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_on >= published_on', name=op.f('ck_public_notices_dates_ordered')),
    sa.CheckConstraint('working_days > 0', name=op.f('ck_public_notices_days_positive')),
    sa.ForeignKeyConstraint(['application_id'], ['center_applications.id'], name=op.f('fk_public_notices_application_id_center_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_public_notices_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_notices')),
    sa.UniqueConstraint('application_id', name=op.f('uq_public_notices_application_id'))
    )
    op.create_table('diligence_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('diligence_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=300), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['diligence_id'], ['due_diligences.id'], name=op.f('fk_diligence_reports_diligence_id_due_diligences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_diligence_reports_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diligence_reports'))
    )
    with op.batch_alter_table('diligence_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_diligence_reports_diligence_id'), ['diligence_id'], unique=False)

    op.create_table('notice_objections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('upheld', sa.Boolean(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_notice_objections_answered_by_id_users')),
    sa.ForeignKeyConstraint(['notice_id'], ['public_notices.id'], name=op.f('fk_notice_objections_notice_id_public_notices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_objections'))
    )
    with op.batch_alter_table('notice_objections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_objections_notice_id'), ['notice_id'], unique=False)

    with op.batch_alter_table('center_applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_representative', sa.String(length=100), nullable=False, server_default=''))

    with op.batch_alter_table('task_books', schema=None) as batch_op:
        batch_op.add_column(sa.Column('custodian_org_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_task_books_custodian_org_id'), ['custodian_org_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_task_books_custodian_org_id_organisations'), 'organisations', ['custodian_org_id'], ['id'])

    # ### end Alembic commands ###


def downgrade():
    conn = op.get_bind()
    for table, column, values in (('users', 'role', ('custodian',)), ('invitations', 'role', ('custodian',)),
                                  ('center_applications', 'status', NEW_STATUSES)):
        listed = ", ".join(f"'{v}'" for v in values)
        if conn.execute(sa.text(f"SELECT COUNT(*) FROM {table} WHERE {column} IN ({listed})")).scalar():
            raise RuntimeError(f"{table}.{column} holds values of this revision ({listed}); change them first")
    _check('users', 'role', 'role', ROLES)
    _check('invitations', 'role', 'role', ROLES)
    _check('center_applications', 'applicationstatus', 'status', STATUSES)

    with op.batch_alter_table('task_books', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_task_books_custodian_org_id_organisations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_task_books_custodian_org_id'))
        batch_op.drop_column('custodian_org_id')

    with op.batch_alter_table('center_applications', schema=None) as batch_op:
        batch_op.drop_column('legal_representative')

    with op.batch_alter_table('notice_objections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_objections_notice_id'))

    op.drop_table('notice_objections')
    with op.batch_alter_table('diligence_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_diligence_reports_diligence_id'))

    op.drop_table('diligence_reports')
    op.drop_table('public_notices')
    op.drop_table('due_diligences')
    op.drop_table('defence_sessions')
    with op.batch_alter_table('defence_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_defence_scores_expert_id'))
        batch_op.drop_index(batch_op.f('ix_defence_scores_application_id'))

    op.drop_table('defence_scores')
    with op.batch_alter_table('credit_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_records_org_id'))
        batch_op.drop_index(batch_op.f('ix_credit_records_kind'))

    op.drop_table('credit_records')
    with op.batch_alter_table('application_conditions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_conditions_application_id'))

    op.drop_table('application_conditions')
    op.drop_table('center_closures')
    with op.batch_alter_table('acceptance_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acceptance_reviews_expert_id'))
        batch_op.drop_index(batch_op.f('ix_acceptance_reviews_acceptance_id'))

    op.drop_table('acceptance_reviews')
    with op.batch_alter_table('acceptance_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acceptance_documents_center_id'))
        batch_op.drop_index(batch_op.f('ix_acceptance_documents_acceptance_id'))

    op.drop_table('acceptance_documents')
    with op.batch_alter_table('fund_use_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_use_reports_center_id'))

    op.drop_table('fund_use_reports')
    with op.batch_alter_table('equity_injections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_equity_injections_center_id'))

    op.drop_table('equity_injections')
    op.drop_table('acceptances')
    # ### end Alembic commands ###
