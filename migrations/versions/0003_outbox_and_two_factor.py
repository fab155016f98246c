"""outbox: failed mail, secret links cleared after delivery, workspace policy; two-factor lockout; users' time zones

Revision ID: 0003
Revises: 0002

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# A workspace's mail is under the workspace policy; account mail (no workspace) stays the platform's.
OUTBOX_CONDITION = (
    "tenant_id IS NULL OR tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::int"
)


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carries_secret', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('failed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('unreachable_rounds', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('two_factor_failures', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('two_factor_locked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))

    # Which of the mails already sent held a one-time link cannot be told now, and a
    # sent mail's bodies serve nothing: clear them all.
    op.execute("UPDATE outbox_messages SET body_text = '', body_html = '' WHERE sent_at IS NOT NULL")

    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE outbox_messages ENABLE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE outbox_messages FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant_isolation ON outbox_messages USING ({OUTBOX_CONDITION}) "
                   f"WITH CHECK ({OUTBOX_CONDITION})")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS tenant_isolation ON outbox_messages")
        op.execute("ALTER TABLE outbox_messages NO FORCE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE outbox_messages DISABLE ROW LEVEL SECURITY")

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
        batch_op.drop_column('two_factor_locked_at')
        batch_op.drop_column('two_factor_failures')

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('unreachable_rounds')
        batch_op.drop_column('failed_at')
        batch_op.drop_column('carries_secret')
