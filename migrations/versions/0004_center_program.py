"""Center program: plan versions, navigation, products, PCT, standards, awards, services, applications, review, task books, exit cases

Also adds the organisation kind ``association`` (industry associations: one of the four groups an
alliance must have, task 6) by replacing the CHECK constraint on organisations.kind. Going down
refuses while any organisation is of that kind, rather than deleting it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 05:43:18.904194

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

ORG_KINDS = ('enterprise', 'university', 'research_institute', 'sme', 'agency', 'center', 'bureau')


def _org_kind_check(kinds):
    """Replace the CHECK constraint behind the non-native OrgKind enum (batch: SQLite rebuilds the table)."""
    listed = ", ".join(f"'{k}'" for k in kinds)
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_organisations_orgkind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_organisations_orgkind'), sa.text(f"kind IN ({listed})"))


def upgrade():
    _org_kind_check(ORG_KINDS + ('association',))

    op.create_table('application_windows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.String(length=200), nullable=False),
    sa.Column('weekdays_only', sa.Boolean(), nullable=False),
    sa.Column('closed_dates', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('closes_on >= opens_on', name=op.f('ck_application_windows_dates_ordered')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_application_windows_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_windows'))
    )
    op.create_table('dispute_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('accused', 'infringed', 'ownership', 'contract', 'other', name='disputekind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('counterparty', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'answered', 'closed', name='disputestatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_dispute_requests_answered_by_id_users')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_dispute_requests_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_dispute_requests_created_by_id_users')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_dispute_requests_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispute_requests'))
    )
    with op.batch_alter_table('dispute_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispute_requests_center_id'), ['center_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispute_requests_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispute_requests_status'), ['status'], unique=False)

    op.create_table('exit_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('no_equity_agreement', 'no_business', 'no_benefit', 'shareholders_end', 'major_risk', 'regulatory', 'period_complete', 'agreement_case', name='exitreason', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('closure_note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_exit_cases_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_exit_cases_opened_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exit_cases'))
    )
    with op.batch_alter_table('exit_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exit_cases_center_id'), ['center_id'], unique=False)

    op.create_table('financing_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('pledge_loan', 'equity', 'insurance', 'merger', name='financingkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=True),
    sa.Column('patents', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'matched', 'closed', 'withdrawn', name='requeststatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount_fen IS NULL OR amount_fen >= 0', name=op.f('ck_financing_requests_amount_nonneg')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_financing_requests_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_financing_requests_created_by_id_users')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_financing_requests_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_financing_requests'))
    )
    with op.batch_alter_table('financing_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_financing_requests_center_id'), ['center_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_financing_requests_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_financing_requests_status'), ['status'], unique=False)

    op.create_table('navigation_projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.Enum('regional_planning', 'industry_planning', 'enterprise_operation', 'rd_activity', 'talent_management', 'other', name='navkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('client_name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('planned', 'in_progress', 'completed', name='projectstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('deliverables', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_navigation_projects_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_navigation_projects_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_navigation_projects'))
    )
    with op.batch_alter_table('navigation_projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_navigation_projects_center_id'), ['center_id'], unique=False)

    op.create_table('patent_products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('owner_org_id', sa.Integer(), nullable=True),
    sa.Column('owner_name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('product_revenue_fen', sa.BigInteger(), nullable=True),
    sa.Column('total_revenue_fen', sa.BigInteger(), nullable=True),
    sa.Column('evidence_file', sa.String(length=300), nullable=False),
    sa.Column('evidence_filename', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('applied', 'identified', name='productstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=True),
    sa.Column('identified_on', sa.Date(), nullable=True),
    sa.Column('certificate_number', sa.String(length=100), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('product_revenue_fen IS NULL OR product_revenue_fen >= 0', name=op.f('ck_patent_products_product_revenue_nonneg')),
    sa.CheckConstraint('total_revenue_fen IS NULL OR total_revenue_fen >= 0', name=op.f('ck_patent_products_total_revenue_nonneg')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_patent_products_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_patent_products_created_by_id_users')),
    sa.ForeignKeyConstraint(['owner_org_id'], ['organisations.id'], name=op.f('fk_patent_products_owner_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patent_products'))
    )
    with op.batch_alter_table('patent_products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patent_products_center_id'), ['center_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_patent_products_owner_org_id'), ['owner_org_id'], unique=False)

    op.create_table('pct_filings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('applicant_name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('pct_number', sa.String(length=20), nullable=False),
    sa.Column('phase', sa.Enum('international', 'national', name='pctphase', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('country', sa.String(length=10), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_pct_filings_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_pct_filings_created_by_id_users')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_pct_filings_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pct_filings')),
    sa.UniqueConstraint('center_id', 'pct_number', 'phase', 'country', name='uq_pct_filings_center_number_phase_country')
    )
    with op.batch_alter_table('pct_filings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pct_filings_center_id'), ['center_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pct_filings_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pct_filings_pct_number'), ['pct_number'], unique=False)

    op.create_table('plan_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_plan_versions_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plan_versions_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_versions')),
    sa.UniqueConstraint('center_id', 'version', name='uq_plan_versions_center_version')
    )
    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_versions_center_id'), ['center_id'], unique=False)

    op.create_table('standards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('level', sa.Enum('international', 'national', 'industry', 'local', 'group', name='standardlevel', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status', sa.Enum('drafting', 'published', name='standardstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_standards_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_standards_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standards'))
    )
    with op.batch_alter_table('standards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standards_center_id'), ['center_id'], unique=False)

    op.create_table('training_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.Enum('training', 'seminar', 'matchmaking', 'roadshow', name='eventkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_training_events_capacity_positive')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_training_events_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_training_events_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_events'))
    )
    with op.batch_alter_table('training_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_events_center_id'), ['center_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_events_starts_at'), ['starts_at'], unique=False)

    op.create_table('warning_watches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('ipc_codes', sa.String(length=500), nullable=False),
    sa.Column('competitors', sa.String(length=2000), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_warning_watches_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_warning_watches_created_by_id_users')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_warning_watches_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warning_watches'))
    )
    with op.batch_alter_table('warning_watches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_warning_watches_center_id'), ['center_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_warning_watches_org_id'), ['org_id'], unique=False)

    op.create_table('awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.Enum('international', 'national', 'provincial', 'municipal', name='awardlevel', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status', sa.Enum('nominated', 'won', name='awardstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('awarded_on', sa.Date(), nullable=True),
    sa.Column('winner_name', sa.String(length=200), nullable=False),
    sa.Column('patent_id', sa.Integer(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_awards_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_awards_created_by_id_users')),
    sa.ForeignKeyConstraint(['patent_id'], ['patents.id'], name=op.f('fk_awards_patent_id_patents')),
    sa.ForeignKeyConstraint(['product_id'], ['patent_products.id'], name=op.f('fk_awards_product_id_patent_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_awards'))
    )
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_awards_center_id'), ['center_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_patent_id'), ['patent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_product_id'), ['product_id'], unique=False)

    op.create_table('center_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('window_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_name', sa.String(length=200), nullable=False),
    sa.Column('industry', sa.Enum('carbon_materials', 'high_end_equipment', 'new_energy_vehicles', 'it_innovation', 'semiconductors', 'special_steel', 'energy_environment', 'biomedicine', 'hydrogen', name='industry', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('contact_person', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('partners', sa.Text(), nullable=False),
    sa.Column('capital_plan', sa.Text(), nullable=False),
    sa.Column('targets', sa.Text(), nullable=False),
    sa.Column('feasibility', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'approved', 'rejected', 'withdrawn', name='applicationstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_center_applications_center_id_centers')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_center_applications_created_by_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_center_applications_decided_by_id_users')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_center_applications_org_id_organisations')),
    sa.ForeignKeyConstraint(['window_id'], ['application_windows.id'], name=op.f('fk_center_applications_window_id_application_windows')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_center_applications'))
    )
    with op.batch_alter_table('center_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_center_applications_center_id'), ['center_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_center_applications_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_center_applications_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_center_applications_window_id'), ['window_id'], unique=False)

    op.create_table('event_signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['training_events.id'], name=op.f('fk_event_signups_event_id_training_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_event_signups_org_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_event_signups_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_signups')),
    sa.UniqueConstraint('event_id', 'user_id', name='uq_event_signups_event_user')
    )
    with op.batch_alter_table('event_signups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_signups_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_signups_user_id'), ['user_id'], unique=False)

    op.create_table('financing_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('provider_name', sa.String(length=200), nullable=False),
    sa.Column('provider_kind', sa.Enum('bank', 'insurer', 'investor', 'other', name='providerkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=True),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'accepted', 'declined', name='offerstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('amount_fen IS NULL OR amount_fen >= 0', name=op.f('ck_financing_offers_amount_nonneg')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_financing_offers_created_by_id_users')),
    sa.ForeignKeyConstraint(['request_id'], ['financing_requests.id'], name=op.f('fk_financing_offers_request_id_financing_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_financing_offers'))
    )
    with op.batch_alter_table('financing_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_financing_offers_request_id'), ['request_id'], unique=False)

    op.create_table('product_patents',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('patent_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['patent_id'], ['patents.id'], name=op.f('fk_product_patents_patent_id_patents')),
    sa.ForeignKeyConstraint(['product_id'], ['patent_products.id'], name=op.f('fk_product_patents_product_id_patent_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', 'patent_id', name=op.f('pk_product_patents'))
    )
    with op.batch_alter_table('product_patents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_patents_patent_id'), ['patent_id'], unique=False)

    op.create_table('review_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('window_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('max_score', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('max_score > 0', name=op.f('ck_review_criteria_max_positive')),
    sa.CheckConstraint('weight >= 0', name=op.f('ck_review_criteria_weight_nonneg')),
    sa.ForeignKeyConstraint(['window_id'], ['application_windows.id'], name=op.f('fk_review_criteria_window_id_application_windows'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_criteria'))
    )
    with op.batch_alter_table('review_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_criteria_window_id'), ['window_id'], unique=False)

    op.create_table('standard_patents',
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('patent_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['patent_id'], ['patents.id'], name=op.f('fk_standard_patents_patent_id_patents')),
    sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_standard_patents_standard_id_standards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('standard_id', 'patent_id', name=op.f('pk_standard_patents'))
    )
    with op.batch_alter_table('standard_patents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_patents_patent_id'), ['patent_id'], unique=False)

    op.create_table('application_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('stored_name', sa.String(length=300), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['center_applications.id'], name=op.f('fk_application_documents_application_id_center_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_application_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_documents'))
    )
    with op.batch_alter_table('application_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_documents_application_id'), ['application_id'], unique=False)

    op.create_table('expert_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['center_applications.id'], name=op.f('fk_expert_assignments_application_id_center_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_expert_assignments_assigned_by_id_users')),
    sa.ForeignKeyConstraint(['expert_id'], ['users.id'], name=op.f('fk_expert_assignments_expert_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expert_assignments')),
    sa.UniqueConstraint('application_id', 'expert_id', name='uq_expert_assignments_application_expert')
    )
    with op.batch_alter_table('expert_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expert_assignments_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expert_assignments_expert_id'), ['expert_id'], unique=False)

    op.create_table('task_books',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('custodian', sa.String(length=200), nullable=False),
    sa.Column('equity_fen', sa.BigInteger(), nullable=True),
    sa.Column('equity_agreement_signed_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('equity_fen IS NULL OR equity_fen >= 0', name=op.f('ck_task_books_equity_nonneg')),
    sa.ForeignKeyConstraint(['application_id'], ['center_applications.id'], name=op.f('fk_task_books_application_id_center_applications')),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_task_books_center_id_centers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_task_books_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_books')),
    sa.UniqueConstraint('center_id', name=op.f('uq_task_books_center_id'))
    )
    op.create_table('expert_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.CheckConstraint('score >= 0', name=op.f('ck_expert_scores_score_nonneg')),
    sa.ForeignKeyConstraint(['assignment_id'], ['expert_assignments.id'], name=op.f('fk_expert_scores_assignment_id_expert_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['criterion_id'], ['review_criteria.id'], name=op.f('fk_expert_scores_criterion_id_review_criteria'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expert_scores')),
    sa.UniqueConstraint('assignment_id', 'criterion_id', name='uq_expert_scores_assignment_criterion')
    )
    with op.batch_alter_table('expert_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expert_scores_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expert_scores_criterion_id'), ['criterion_id'], unique=False)



def downgrade():
    used = op.get_bind().execute(sa.text("SELECT count(*) FROM organisations WHERE kind = 'association'")).scalar()
    if used:
        raise RuntimeError(f"{used} organisations are industry associations; change their kind before going below 0004")
    _org_kind_check(ORG_KINDS)

    with op.batch_alter_table('expert_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expert_scores_criterion_id'))
        batch_op.drop_index(batch_op.f('ix_expert_scores_assignment_id'))

    op.drop_table('expert_scores')
    op.drop_table('task_books')
    with op.batch_alter_table('expert_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expert_assignments_expert_id'))
        batch_op.drop_index(batch_op.f('ix_expert_assignments_application_id'))

    op.drop_table('expert_assignments')
    with op.batch_alter_table('application_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_documents_application_id'))

    op.drop_table('application_documents')
    with op.batch_alter_table('standard_patents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standard_patents_patent_id'))

    op.drop_table('standard_patents')
    with op.batch_alter_table('review_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_criteria_window_id'))

    op.drop_table('review_criteria')
    with op.batch_alter_table('product_patents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_patents_patent_id'))

    op.drop_table('product_patents')
    with op.batch_alter_table('financing_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_financing_offers_request_id'))

    op.drop_table('financing_offers')
    with op.batch_alter_table('event_signups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_signups_user_id'))
        batch_op.drop_index(batch_op.f('ix_event_signups_event_id'))

    op.drop_table('event_signups')
    with op.batch_alter_table('center_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_center_applications_window_id'))
        batch_op.drop_index(batch_op.f('ix_center_applications_status'))
        batch_op.drop_index(batch_op.f('ix_center_applications_org_id'))
        batch_op.drop_index(batch_op.f('ix_center_applications_center_id'))

    op.drop_table('center_applications')
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_awards_product_id'))
        batch_op.drop_index(batch_op.f('ix_awards_patent_id'))
        batch_op.drop_index(batch_op.f('ix_awards_center_id'))

    op.drop_table('awards')
    with op.batch_alter_table('warning_watches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_warning_watches_org_id'))
        batch_op.drop_index(batch_op.f('ix_warning_watches_center_id'))

    op.drop_table('warning_watches')
    with op.batch_alter_table('training_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_events_starts_at'))
        batch_op.drop_index(batch_op.f('ix_training_events_center_id'))

    op.drop_table('training_events')
    with op.batch_alter_table('standards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standards_center_id'))

    op.drop_table('standards')
    with op.batch_alter_table('plan_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_versions_center_id'))

    op.drop_table('plan_versions')
    with op.batch_alter_table('pct_filings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pct_filings_pct_number'))
        batch_op.drop_index(batch_op.f('ix_pct_filings_org_id'))
        batch_op.drop_index(batch_op.f('ix_pct_filings_center_id'))

    op.drop_table('pct_filings')
    with op.batch_alter_table('patent_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patent_products_owner_org_id'))
        batch_op.drop_index(batch_op.f('ix_patent_products_center_id'))

    op.drop_table('patent_products')
    with op.batch_alter_table('navigation_projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_navigation_projects_center_id'))

    op.drop_table('navigation_projects')
    with op.batch_alter_table('financing_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_financing_requests_status'))
        batch_op.drop_index(batch_op.f('ix_financing_requests_org_id'))
        batch_op.drop_index(batch_op.f('ix_financing_requests_center_id'))

    op.drop_table('financing_requests')
    with op.batch_alter_table('exit_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exit_cases_center_id'))

    op.drop_table('exit_cases')
    with op.batch_alter_table('dispute_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispute_requests_status'))
        batch_op.drop_index(batch_op.f('ix_dispute_requests_org_id'))
        batch_op.drop_index(batch_op.f('ix_dispute_requests_center_id'))

    op.drop_table('dispute_requests')
    op.drop_table('application_windows')
