"""meetings: plans, meetings, agenda items, invitees; outbox sender, reply-to and attachment

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

from samklima.platform.tenancy import disable_row_level_security, enable_row_level_security


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('meeting_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('recurrence', sa.String(length=200), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('video_url', sa.String(length=500), nullable=False),
    sa.Column('publish_days_before', sa.Integer(), nullable=False),
    sa.Column('proposal_days_before', sa.Integer(), nullable=False),
    sa.Column('absence_threshold', sa.Integer(), nullable=False),
    sa.Column('standing_items', sa.String(length=200), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'body_id'], ['bodies.tenant_id', 'bodies.id'], name=op.f('fk_meeting_settings_tenant_id_body_id_bodies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_meeting_settings_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_settings')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_meeting_settings_tenant_id_id'))
    )
    with op.batch_alter_table('meeting_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_settings_body_id'), ['body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_settings_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('uq_meeting_settings_body', ['tenant_id', 'body_id'], unique=True)

    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('video_url', sa.String(length=500), nullable=False),
    sa.Column('themes', sa.Text(), nullable=False),
    sa.Column('case_number', sa.String(length=60), nullable=False),
    sa.Column('proposal_deadline', sa.Date(), nullable=False),
    sa.Column('publish_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('announced_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'body_id'], ['bodies.tenant_id', 'bodies.id'], name=op.f('fk_meetings_tenant_id_body_id_bodies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_meetings_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_meetings_tenant_id_id'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_body_id'), ['body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_meetings_tenant_starts', ['tenant_id', 'starts_at'], unique=False)

    op.create_table('agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('proposed_decision', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('standing', sa.String(length=30), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.Column('proposer_id', sa.Integer(), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('reject_reason', sa.Text(), nullable=False),
    sa.Column('deferred_to_id', sa.Integer(), nullable=True),
    sa.Column('deferred_from_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_agenda_items_proposed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id', 'deferred_from_id'], ['agenda_items.tenant_id', 'agenda_items.id'], name=op.f('fk_agenda_items_tenant_id_deferred_from_id_agenda_items')),
    sa.ForeignKeyConstraint(['tenant_id', 'deferred_to_id'], ['meetings.tenant_id', 'meetings.id'], name=op.f('fk_agenda_items_tenant_id_deferred_to_id_meetings')),
    sa.ForeignKeyConstraint(['tenant_id', 'meeting_id'], ['meetings.tenant_id', 'meetings.id'], name=op.f('fk_agenda_items_tenant_id_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'proposer_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_agenda_items_tenant_id_proposer_id_people')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_agenda_items_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_agenda_items_tenant_id_id'))
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_items_deferred_from_id'), ['deferred_from_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_deferred_to_id'), ['deferred_to_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index('ix_agenda_items_meeting_position', ['tenant_id', 'meeting_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_proposer_id'), ['proposer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('meeting_invitees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('substitute_for_id', sa.Integer(), nullable=True),
    sa.Column('rsvp', sa.String(length=15), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('attendance', sa.String(length=10), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'meeting_id'], ['meetings.tenant_id', 'meetings.id'], name=op.f('fk_meeting_invitees_tenant_id_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'person_id'], ['people.tenant_id', 'people.id'], name=op.f('fk_meeting_invitees_tenant_id_person_id_people')),
    sa.ForeignKeyConstraint(['tenant_id', 'substitute_for_id'], ['meeting_invitees.tenant_id', 'meeting_invitees.id'], name=op.f('fk_meeting_invitees_tenant_id_substitute_for_id_meeting_invitees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_meeting_invitees_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_invitees')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_meeting_invitees_tenant_id_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_meeting_invitees_token_hash'))
    )
    with op.batch_alter_table('meeting_invitees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_invitees_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_invitees_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_invitees_substitute_for_id'), ['substitute_for_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_invitees_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('uq_meeting_invitees_person', ['tenant_id', 'meeting_id', 'person_id'], unique=True)

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sender_name', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reply_to', sa.String(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('attachment_name', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('attachment_type', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('attachment_body', sa.Text(), nullable=False, server_default=''))

    enable_row_level_security(op, 'meeting_settings', 'meetings', 'agenda_items', 'meeting_invitees')


def downgrade():
    disable_row_level_security(op, 'meeting_settings', 'meetings', 'agenda_items', 'meeting_invitees')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('attachment_body')
        batch_op.drop_column('attachment_type')
        batch_op.drop_column('attachment_name')
        batch_op.drop_column('reply_to')
        batch_op.drop_column('sender_name')

    with op.batch_alter_table('meeting_invitees', schema=None) as batch_op:
        batch_op.drop_index('uq_meeting_invitees_person')
        batch_op.drop_index(batch_op.f('ix_meeting_invitees_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_invitees_substitute_for_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_invitees_person_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_invitees_meeting_id'))

    op.drop_table('meeting_invitees')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_items_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_items_proposer_id'))
        batch_op.drop_index('ix_agenda_items_meeting_position')
        batch_op.drop_index(batch_op.f('ix_agenda_items_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_items_deferred_to_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_items_deferred_from_id'))

    op.drop_table('agenda_items')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_meetings_tenant_starts')
        batch_op.drop_index(batch_op.f('ix_meetings_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_body_id'))

    op.drop_table('meetings')
    with op.batch_alter_table('meeting_settings', schema=None) as batch_op:
        batch_op.drop_index('uq_meeting_settings_body')
        batch_op.drop_index(batch_op.f('ix_meeting_settings_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_settings_body_id'))

    op.drop_table('meeting_settings')
