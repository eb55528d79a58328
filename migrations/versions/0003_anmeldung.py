"""A login that holds: token buckets for login tries (per name, client and known browser), login tokens
(tickets, sessions, known browsers; only their SHA-256 is stored) and account names unique regardless of case.

Accounts whose names differ only in case (made before this revision) stay, but all except the oldest are
blocked and get a distinct comparison key ("anna muster#2"); the administrator renames or removes them.

Revision ID: 0003
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _key(name: str) -> str:
    return " ".join(str(name).split())[:80].casefold()[:80]  # datastore.auth.name_key, frozen for this revision


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "anmeldebudget",
        sa.Column("schluessel", sa.String(200), primary_key=True),
        sa.Column("guthaben", sa.Float, nullable=False),
        sa.Column("stand", sa.DateTime, nullable=False),
    )
    op.create_table(
        "anmeldesitzungen",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("art", sa.String(10), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("angelegt", sa.DateTime, nullable=False),
        sa.Column("ablauf", sa.DateTime, nullable=False),
    )
    op.create_index("ix_anmeldesitzungen_name", "anmeldesitzungen", ["name"])
    with op.batch_alter_table("konten") as batch:
        batch.add_column(sa.Column("name_vergleich", sa.String(80)))
    konten = sa.table("konten", sa.column("name", sa.String), sa.column("angelegt", sa.DateTime),
                      sa.column("aktiv", sa.Boolean), sa.column("name_vergleich", sa.String))
    seen: dict[str, int] = {}
    for name, _ in bind.execute(sa.select(konten.c.name, konten.c.angelegt).order_by(konten.c.angelegt, konten.c.name)):
        key = _key(name)
        seen[key] = seen.get(key, 0) + 1
        values = {"name_vergleich": key}
        if seen[key] > 1:
            values = {"name_vergleich": f"{key}#{seen[key]}"[:80], "aktiv": False}
            logging.getLogger("kita").warning("Konto %r: Name gleicht einem älteren Konto bis auf Groß-/Kleinschreibung; gesperrt", name)
        bind.execute(sa.update(konten).where(konten.c.name == name).values(**values))
    with op.batch_alter_table("konten") as batch:
        batch.alter_column("name_vergleich", existing_type=sa.String(80), nullable=False)
        batch.create_unique_constraint("uq_konten_name_vergleich", ["name_vergleich"])


def downgrade() -> None:
    with op.batch_alter_table("konten") as batch:
        batch.drop_constraint("uq_konten_name_vergleich", type_="unique")
        batch.drop_column("name_vergleich")
    op.drop_index("ix_anmeldesitzungen_name", "anmeldesitzungen")
    op.drop_table("anmeldesitzungen")
    op.drop_table("anmeldebudget")
