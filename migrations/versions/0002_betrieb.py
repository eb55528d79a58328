"""Running it for real: row versions (optimistic saves), filled flag of positions, approximate Kita
location, change-log groups and notes, coordinator accounts and login attempts, scenarios, and the
"seeded" mark that makes reseeding depend on a new database only (never on an empty table).

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ["kitas", "fachkraefte", "kontakte", "gemeinden_kennzahlen"]


def upgrade() -> None:
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    for name in TABLES:
        with op.batch_alter_table(name) as batch:
            batch.add_column(sa.Column("zeile_version", sa.Integer, nullable=False, server_default="1"))
    with op.batch_alter_table("fachkraefte") as batch:
        batch.add_column(sa.Column("besetzt", sa.Boolean, nullable=False, server_default=sa.true()))
    with op.batch_alter_table("kitas") as batch:
        batch.add_column(sa.Column("lage_ungefaehr", sa.Boolean, nullable=False, server_default=sa.false()))
    with op.batch_alter_table("aenderungen") as batch:
        batch.add_column(sa.Column("vorgang", sa.String(80)))
        batch.add_column(sa.Column("hinweis", sa.Text))
    op.create_index("ix_aenderungen_vorgang", "aenderungen", ["vorgang"])
    if "planung_szenarien" not in existing:  # made on first use of the planning page before migrations
        op.create_table(
            "planung_szenarien",
            sa.Column("name", sa.String(80), primary_key=True),
            sa.Column("angelegt", sa.DateTime, nullable=False),
            sa.Column("wer", sa.String(120), nullable=False),
            sa.Column("eingaben", sa.Text, nullable=False),
            sa.Column("angewendet", sa.DateTime),
            sa.Column("stellen", sa.Text),
        )
    op.create_table(
        "konten",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("passwort_hash", sa.Text, nullable=False),
        sa.Column("angelegt", sa.DateTime, nullable=False),
        sa.Column("aktiv", sa.Boolean, nullable=False, server_default=sa.true()),
    )
    op.create_table(
        "anmeldeversuche",
        sa.Column("nr", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("zeit", sa.DateTime, nullable=False),
        sa.Column("erfolgreich", sa.Boolean, nullable=False),
    )
    op.create_index("ix_anmeldeversuche_name_zeit", "anmeldeversuche", ["name", "zeit"])
    meta = op.create_table(
        "betrieb",
        sa.Column("schluessel", sa.String(40), primary_key=True),
        sa.Column("wert", sa.Text, nullable=False),
    )
    # A database that was in use before this migration counts as filled: it is never reseeded.
    used = bind.exec_driver_sql("SELECT (SELECT COUNT(*) FROM kitas) + (SELECT COUNT(*) FROM aenderungen)").scalar()
    if used:
        op.bulk_insert(meta, [{"schluessel": "befuellt", "wert": "vor Migration 0002"}])


def downgrade() -> None:
    for name in ["betrieb", "anmeldeversuche", "konten"]:
        op.drop_table(name)
    op.drop_index("ix_aenderungen_vorgang", "aenderungen")
    with op.batch_alter_table("aenderungen") as batch:
        batch.drop_column("hinweis")
        batch.drop_column("vorgang")
    with op.batch_alter_table("kitas") as batch:
        batch.drop_column("lage_ungefaehr")
    with op.batch_alter_table("fachkraefte") as batch:
        batch.drop_column("besetzt")
    for name in TABLES:
        with op.batch_alter_table(name) as batch:
            batch.drop_column("zeile_version")
