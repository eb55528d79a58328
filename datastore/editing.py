"""From an edited table to store changes, and change-log rows in words: the rules behind the Daten page."""

from __future__ import annotations

import json

import pandas as pd

from kita.errors import DataError
from kita.i18n import N_, Message, text
from kita.text import date, yes_no
from geo.layers import KEYS, SCHEMAS
from datastore.imports import table_title
from datastore.store import ROW_VERSION, Changes, log_note_in_language

# What a change-log group (``import-3f9a1c2b``) was, by its prefix (catalogue ids).
GROUP_KINDS = {"import": N_("group_import"), "bearbeitung": N_("group_edit"), "plan": N_("group_plan"),
               "ersetzen": N_("group_replace"), "stellen": N_("group_positions"), "szenario": N_("group_scenario"),
               "rueckgaengig": N_("group_undo"), "erstbefuellung": N_("group_seed")}


def editor_changes(name: str, base: pd.DataFrame, state: dict) -> Changes:
    """The edits of a table editor (``edited_rows`` by position in ``base``, ``added_rows``, ``deleted_rows``)
    as store changes; each existing row carries the version it was shown with. A changed key is refused."""
    key = KEYS[name]
    records = base.to_dict("records")
    upserts, deletes = [], []
    for index, edits in state.get("edited_rows", {}).items():
        row = records[int(index)]
        if key in edits and str(edits[key]) != str(row[key]):
            raise DataError(Message("edit_key_changed", schluessel=key, wert=str(row[key])))
        upserts.append(row | edits)
    for added in state.get("added_rows", []):
        if any(str(v).strip() for v in added.values() if v is not None):
            upserts.append({c.name: added.get(c.name) for c in SCHEMAS[name]} | {ROW_VERSION: None})
    for index in state.get("deleted_rows", []):
        row = records[int(index)]
        deletes.append((row[key], int(row[ROW_VERSION])))
    return Changes(upserts=upserts, deletes=deletes)


def describe(old: str | None, new: str | None, lang: str = "de") -> str:
    """A change-log row in words (in ``lang``): 'telefon: 06731 1 → 06731 2' for a change, 'neu: …' /
    'gelöscht: …' for a new or deleted row. Field names and values are the stored data's."""
    before = json.loads(old) if isinstance(old, str) and old else None  # a missing value may come as NaN
    after = json.loads(new) if isinstance(new, str) and new else None
    if before is None and after is None:
        return ""
    if before is None:
        return text("log_new", lang) + ": " + _values(after, lang)
    if after is None:
        return text("log_deleted", lang) + ": " + _values(before, lang)
    return "; ".join(f"{k}: {_value(before.get(k), lang)} → {_value(after.get(k), lang)}"
                     for k in after if before.get(k) != after.get(k))[:500]


def _value(value, lang: str) -> str:
    """A logged value for people: yes/no in ``lang`` (not True/False), nothing for a missing one."""
    if isinstance(value, bool):
        return yes_no(value, lang)
    return "" if value is None else str(value)


def _values(row: dict, lang: str) -> str:
    return ", ".join(f"{k}={_value(v, lang)}" for k, v in row.items() if v not in (None, "", False))[:300]


def group_label(group: str, entries: pd.DataFrame, lang: str = "de") -> str:
    """A change-log group as people read it: what (its note, e.g. "Import kinder.csv", else its kind and table),
    when, who and how many changes; the group's id only as a short tail to tell twins apart. ``entries`` are the
    group's log rows (Store.change_log)."""
    kind = str(group).split("-", 1)[0]
    what = text(GROUP_KINDS[kind], lang) if kind in GROUP_KINDS else str(group)
    if len(entries) == 0:
        return what
    first = entries.sort_values("nr").iloc[0]
    note = log_note_in_language(first.get("hinweis"), lang)
    if note:
        what = note
    elif kind in {"bearbeitung", "ersetzen"}:
        what = f"{what}: {table_title(str(first['tabelle']), lang)}"
    when = pd.Timestamp(first["zeit"])
    tail = str(group).rsplit("-", 1)[-1][:4] if "-" in str(group) else ""
    return text("group_label", lang, was=what, datum=date(when.date(), lang), zeit=f"{when:%H:%M}",
                wer=str(first["wer"]), n=len(entries)) + (f" · {tail}" if tail else "")
