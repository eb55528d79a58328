"""Coordinators: edit the operational tables in place, import and export them, read the change log
and undo (login; a read-only instance shows nothing here)."""

import datetime as dt

import pandas as pd
import streamlit as st

import ui
from geo import imports
from geo.editing import describe, editor_changes
from geo.errors import DataError, StoreError
from geo.layers import SCHEMAS
from geo.store import ROW_VERSION, TABLE_LABELS, StaleError, new_group
from geo.text import md

ui.page_setup("nav_data")
st.title(ui.t("data_title"))
who = ui.require_coordinator()
st.markdown(ui.t("data_intro"))
store, ref = ui.store(), ui.reference()

SECTIONS = {**TABLE_LABELS, "import": "Import", "export": "Export", "protokoll": "Änderungsprotokoll"}
section = st.radio("Bereich", list(SECTIONS), format_func=SECTIONS.get, horizontal=True, key="bereich")
message = st.session_state.pop("daten_meldung", None)
if message:
    st.success(message)


def show_problems(exc: DataError) -> None:
    st.error(md(exc.message if hasattr(exc, "message") else str(exc)))
    if exc.problems:
        st.markdown("\n".join(f"- {md(p)}" for p in exc.problems[:200]))


def column_config(name: str) -> dict:
    """German headers and input limits for the editor; the row version stays hidden."""
    config: dict = {ROW_VERSION: None}
    for column in SCHEMAS[name]:
        label = column.label + (" *" if column.required else "")
        if column.kind == "bool":
            config[column.name] = st.column_config.CheckboxColumn(label)
        elif column.kind == "date":
            config[column.name] = st.column_config.DateColumn(label, format="DD.MM.YYYY")
        elif column.kind == "fte":
            config[column.name] = st.column_config.NumberColumn(label, min_value=0.1, max_value=1.0, step=0.05,
                                                                format="%.2f")
        elif column.kind in {"int"}:
            config[column.name] = st.column_config.NumberColumn(label, min_value=0, step=1, format="%d")
        elif column.kind in {"lat", "lon", "share"}:
            config[column.name] = st.column_config.NumberColumn(label, format="%.5f" if column.kind != "share" else "%.3f")
        else:
            config[column.name] = st.column_config.TextColumn(label, max_chars=1000 if column.kind == "note" else 300)
    return config


def for_editor(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    frame = frame.copy()
    for column in SCHEMAS[name]:
        if column.kind == "date":
            frame[column.name] = pd.to_datetime(frame[column.name], errors="coerce")
    return frame.reset_index(drop=True)


def edit_table(name: str) -> None:
    """One table in an editor. The rows shown are kept until saved or reloaded, so a save always refers to
    what the person saw (row versions); changed rows of others are then refused with their current values."""
    base_key, round_key = f"basis_{name}", f"runde_{name}"
    if base_key not in st.session_state:
        st.session_state[base_key] = for_editor(store.read_for_edit(name), name)
        st.session_state[round_key] = st.session_state.get(round_key, 0) + 1
    base = st.session_state[base_key]
    editor_key = f"editor_{name}_{st.session_state[round_key]}"
    hints = {
        "kitas": "Kitas ohne genaue Lage stehen am Mittelpunkt ihrer Gemeinde („Lage ungefähr“). Der Punkt muss in "
                 "der angegebenen Gemeinde liegen.",
        "fachkraefte": "„besetzt“ aus: geplante Stelle (z. B. aus einem übernommenen Plan) – Eltern sehen sie erst, "
                       "wenn sie besetzt ist. Kitas: IDs mit ; getrennt, leer = alle Kitas des Gebiets.",
        "kontakte": "Dienstliche Kontaktwege; sie erscheinen auf der Kontaktkarte der Eltern.",
        "gemeinden_kennzahlen": "Eine Zeile je Gemeinde (69); Anteile als Zahl zwischen 0 und 1.",
    }
    st.caption(hints[name] + " Pflichtfelder sind mit * markiert. Gespeichert wird erst mit „Speichern“.")
    st.data_editor(base, key=editor_key, column_config=column_config(name), hide_index=True, width="stretch",
                   num_rows="fixed" if name == "gemeinden_kennzahlen" else "dynamic",
                   column_order=[c.name for c in SCHEMAS[name]])
    left, right = st.columns([1, 1])
    if right.button("Neu laden (ungespeicherte Änderungen verwerfen)", key=f"neu_laden_{name}"):
        st.session_state.pop(base_key, None)
        st.rerun()
    if left.button("Speichern", type="primary", key=f"speichern_{name}"):
        try:
            changes = editor_changes(name, base, st.session_state.get(editor_key, {}))
        except DataError as exc:
            show_problems(exc)
            return
        if not changes:
            st.info("Keine Änderungen zu speichern.")
            return
        run_write(lambda: store.save_changes(name, changes, who=who), lambda group: (
            f"{TABLE_LABELS[name]}: {len(changes.upserts)} Zeile(n) gespeichert, {len(changes.deletes)} gelöscht "
            f"(Vorgang {group}, rückgängig im Änderungsprotokoll)."))


def import_section() -> None:
    st.subheader("Import mit Probelauf")
    st.caption("CSV (UTF-8, UTF-8 mit BOM oder Windows-1252; Komma, Semikolon oder Tab), Excel (.xlsx), GeoPackage "
               "oder GeoJSON. Übliche deutsche Spaltennamen werden erkannt. Erst der Probelauf, dann „Übernehmen“.")
    name = st.selectbox("Tabelle", list(imports.IMPORT_TABLES), format_func=imports.IMPORT_TABLES.get, key="import_tabelle")
    upload = st.file_uploader("Datei", type=imports.FILE_TYPES, key="import_datei")
    if upload is None:
        return
    try:
        raw, notes = imports.read_upload(upload.name, upload.getvalue(), name)
        places = imports.Places(ref.gemeinden, ref.areas, ref.plz, ref.ortsteile)
        current = store.read_for_edit(name)
        prepared, mapped = imports.prepare(name, raw, places, current)
    except DataError as exc:
        show_problems(exc)
        return
    st.caption(md(" · ".join(notes + mapped)))
    st.markdown("**Zeilen der Datei** (hier korrigierbar; Zeile 2 = erste Datenzeile):")
    edited = st.data_editor(prepared, key=f"import_editor_{upload.file_id}", hide_index=True, width="stretch",
                            num_rows="fixed", column_config={c.name: c.label for c in SCHEMAS[name]})
    data_version = store.version()
    result = imports.dry_run(name, edited.astype(str), current.drop(columns=[ROW_VERSION]), store.check)
    shown_before = st.session_state.get("import_angezeigt")
    st.session_state["import_angezeigt"] = {"datei": upload.file_id, "tabelle": name, "version": data_version}
    st.markdown(f"**Probelauf:** {md(result.summary())}")
    if result.problems:
        first = "  \n".join(f"Zeile {p.row}, {md(p.column)}: {md(p.message)}" for p in result.problems[:5])
        st.error(f"{len(result.problems)} Problem(e) – bitte oben in der Tabelle oder in der Datei korrigieren.  \n"
                 + first + ("  \n…" if len(result.problems) > 5 else ""))
        st.dataframe(pd.DataFrame([{"Zeile": p.row, "Spalte": p.column, "Problem": p.message} for p in result.problems]),
                     hide_index=True, width="stretch", key="import_probleme")
    if result.added:
        st.markdown("**Neu:** " + md(", ".join(result.added[:200])))
    if result.changed:
        st.markdown("**Geändert:**")
        st.dataframe(pd.DataFrame(result.changed, columns=["ID", "Spalte", "bisher", "neu"]), hide_index=True,
                     width="stretch", key="import_geaendert")
    remove = False
    if result.removed:
        with st.expander(f"Nicht in der Datei: {len(result.removed)} Einträge (bleiben, außer Sie wählen „entfernen“)"):
            st.markdown(md(", ".join(result.removed)))
        remove = st.checkbox("Einträge, die nicht in der Datei stehen, entfernen", key="import_entfernen")
    nothing = not (result.added or result.changed or (remove and result.removed))
    if st.button("Übernehmen", type="primary", disabled=bool(result.problems) or nothing, key="import_uebernehmen"):
        basis = shown_before if shown_before and shown_before["datei"] == upload.file_id else None
        if basis is None or basis["tabelle"] != name:
            st.error("Bitte erst den Probelauf ansehen; nichts übernommen.")
            return
        run_write(lambda: store.save_changes(name, result.changes(current, remove), who=who, group=new_group("import"),
                                             note=f"Import {upload.name[:80]}", expected_version=basis["version"]),
                  lambda group: f"Import übernommen: {result.summary()} (Vorgang {group}).")


def export_section() -> None:
    st.subheader("Export aller Tabellen")
    tables = store.read_all()
    stamp = f"{dt.date.today():%Y-%m-%d}"
    columns = st.columns(len(tables))
    for column, (name, frame) in zip(columns, tables.items()):
        column.download_button(f"{TABLE_LABELS[name]} (CSV)", imports.csv_bytes(frame), f"{name}-{stamp}.csv",
                               "text/csv", key=f"export_csv_{name}")
    left, right = st.columns(2)
    left.download_button("Alle Tabellen (Excel)", imports.excel_bytes(tables), f"kita-sozialarbeit-{stamp}.xlsx",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="export_xlsx")
    right.download_button("Alle Tabellen (GeoPackage)", imports.geopackage_bytes(tables),
                          f"kita-sozialarbeit-{stamp}.gpkg", "application/geopackage+sqlite3", key="export_gpkg")


def log_section() -> None:
    st.subheader("Änderungsprotokoll")
    c1, c2, c3, c4 = st.columns(4)
    table = c1.selectbox("Tabelle", ["", *TABLE_LABELS], format_func=lambda k: TABLE_LABELS.get(k, "alle"), key="log_tabelle")
    person = c2.text_input("Wer (Teil des Namens)", max_chars=80, key="log_wer")
    record = c3.text_input("Datensatz (ID)", max_chars=64, key="log_datensatz")
    text = c4.text_input("Wert enthält", max_chars=80, key="log_text")
    log = store.change_log(tabelle=table, wer=person.strip(), datensatz=record.strip(), text=text.strip(), limit=500)
    if log.empty:
        st.info("Keine Änderungen zu diesem Filter.")
        return
    shown = pd.DataFrame({
        "Nr.": log["nr"], "Zeit": [f"{z:%d.%m.%Y %H:%M:%S}" for z in pd.to_datetime(log["zeit"])], "Wer": log["wer"],
        "Tabelle": log["tabelle"].map(lambda k: TABLE_LABELS.get(k, k)), "Datensatz": log["datensatz"],
        "Was": [describe(a, n) for a, n in zip(log["alt"], log["neu"])], "Vorgang": log["vorgang"].fillna(""),
        "Hinweis": log["hinweis"].fillna(""), "rückgängig": log["rueckgaengig"].astype(bool),
    })
    st.dataframe(shown, hide_index=True, width="stretch", key="log_tabelle_anzeige")
    st.markdown("**Rückgängig machen** (wird selbst protokolliert; nichts geht verloren)")
    c1, c2 = st.columns(2)
    undoable = log[(log["datensatz"] != "*") & ~log["rueckgaengig"].astype(bool)]
    if len(undoable):
        number = c1.selectbox("Einzelne Änderung", list(undoable["nr"]), key="undo_nr",
                              format_func=lambda n: label_of(undoable, n))
        if c1.button("Diese Änderung rückgängig machen", key="undo_eine"):
            run_write(lambda: store.undo(int(number), who=who),
                      lambda group: f"Änderung Nr. {number} rückgängig gemacht (Vorgang {group}).")
        groups = [g for g in dict.fromkeys(undoable["vorgang"].dropna()) if g and g != "erstbefuellung"]
        if groups:
            last = st.session_state.get("letzter_vorgang")
            group = c2.selectbox("Ganzer Vorgang (Speicherung, Import, übernommener Plan)", groups, key="undo_vorgang",
                                 index=groups.index(last) if last in groups else 0)
            if c2.button("Ganzen Vorgang rückgängig machen", key="undo_vorgang_knopf"):
                run_write(lambda: store.undo_group(group, who=who),
                          lambda undo: f"Vorgang {group} rückgängig gemacht (Vorgang {undo}).")


def label_of(log: pd.DataFrame, number) -> str:
    row = log[log["nr"] == number].iloc[0]
    return f"Nr. {number}: {TABLE_LABELS.get(row['tabelle'], row['tabelle'])} {row['datensatz']} ({row['wer']})"


def run_write(action, message) -> None:
    """Run one write (save, import, undo); on success remember its group, reload the editors and show
    ``message(group)``; on refusal show why (with the current rows when someone else changed them)."""
    try:
        group = action()
    except StaleError as exc:
        show_problems(exc)
        st.markdown("**Aktuelle Werte in der Datenbank:**")
        st.dataframe(exc.current.drop(columns=[ROW_VERSION], errors="ignore"), hide_index=True)
        return
    except DataError as exc:
        show_problems(exc)
        return
    except StoreError as exc:
        st.error(md(str(exc)))
        return
    st.session_state["letzter_vorgang"] = group
    for name in TABLE_LABELS:
        st.session_state.pop(f"basis_{name}", None)
    st.session_state["daten_meldung"] = message(group)
    st.rerun()


if section in TABLE_LABELS:
    edit_table(section)
elif section == "import":
    import_section()
elif section == "export":
    export_section()
else:
    log_section()
