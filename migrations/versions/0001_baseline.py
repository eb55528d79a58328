"""Baseline: the tables as the app created them before migrations (Kitas, Fachkräfte, Kontakte,
Gemeinde-Kennzahlen, change log). A database made by that version is stamped with this revision.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    code = sa.String(32)
    op.create_table(
        "kitas",
        sa.Column("id", code, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("traeger", sa.Text),
        sa.Column("strasse", sa.Text),
        sa.Column("plz", code, nullable=False),
        sa.Column("ort", sa.Text, nullable=False),
        sa.Column("gemeinde_rs", code, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("kinder", sa.Integer, nullable=False),
        sa.Column("plaetze", sa.Integer),
        sa.Column("telefon", sa.Text),
        sa.Column("email", sa.Text),
        sa.Column("web", sa.Text),
        sa.Column("sozialraum", sa.Boolean),
        sa.Column("interkulturell", sa.Boolean),
        sa.Column("demo", sa.Boolean),
    )
    op.create_table(
        "fachkraefte",
        sa.Column("id", code, primary_key=True),
        sa.Column("bezeichnung", sa.Text, nullable=False),
        sa.Column("vze", sa.Float, nullable=False),
        sa.Column("telefon", sa.Text),
        sa.Column("email", sa.Text),
        sa.Column("gebiet_rs", code, nullable=False),
        sa.Column("kitas", sa.Text),
        sa.Column("beginn", sa.Date, nullable=False),
        sa.Column("ende", sa.Date),
        sa.Column("demo", sa.Boolean),
    )
    op.create_table(
        "kontakte",
        sa.Column("id", code, primary_key=True),
        sa.Column("rolle", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("organisation", sa.Text),
        sa.Column("telefon", sa.Text),
        sa.Column("email", sa.Text),
        sa.Column("web", sa.Text),
        sa.Column("hinweis", sa.Text),
        sa.Column("demo", sa.Boolean),
    )
    op.create_table(
        "gemeinden_kennzahlen",
        sa.Column("gemeinde_rs", code, primary_key=True),
        sa.Column("gemeinde", sa.Text, nullable=False),
        sa.Column("kinder_u7", sa.Integer, nullable=False),
        sa.Column("anteil_buergergeld_u7", sa.Float),
        sa.Column("anteil_nichtdeutsche_familiensprache", sa.Float),
        sa.Column("quelle", sa.Text),
        sa.Column("demo", sa.Boolean),
    )
    op.create_table(
        "aenderungen",
        sa.Column("nr", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("zeit", sa.DateTime, nullable=False),
        sa.Column("wer", sa.String(120), nullable=False),
        sa.Column("tabelle", sa.String(40), nullable=False),
        sa.Column("datensatz", sa.String(64), nullable=False),
        sa.Column("alt", sa.Text),
        sa.Column("neu", sa.Text),
        sa.Column("rueckgaengig", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    for name in ["aenderungen", "gemeinden_kennzahlen", "kontakte", "fachkraefte", "kitas"]:
        op.drop_table(name)
