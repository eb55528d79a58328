"""Coordinators: edit the operational tables in place, import and export them, read the change log
and undo (login; a read-only instance shows nothing here)."""

import datetime as dt

import pandas as pd
import streamlit as st

import ui
from ui.framework.uploader import localise_uploader
from datastore import imports
from datastore.editing import describe, editor_changes, group_label
from kita.errors import DataError, StoreError
from geo.layers import SCHEMAS
from datastore.store import (ROW_VERSION, SCENARIO_TABLE, TABLE_LABELS, StaleError, log_note, log_note_in_language,
                       new_group)
from datastore.imports import field_title, table_title
from kita.i18n import N_
from kita.text import date, md

ui.page_setup("nav_data")
st.title(ui.t("data_title"))
who = ui.require_coordinator()
st.markdown(ui.t("data_intro"))
store, ref = ui.store(), ui.reference()
lang = ui.lang()

SECTIONS = {**{name: table_title(name, lang) for name in TABLE_LABELS}, "import": ui.t("data_import"),
            "export": ui.t("data_export"), "protokoll": ui.t("data_log")}
section = st.radio(ui.t("data_section"), list(SECTIONS), format_func=SECTIONS.get, horizontal=True, key="bereich")
message = st.session_state.pop("daten_meldung", None)
if message:
    st.success(message)


def show_problems(exc: DataError) -> None:
    st.error(md(ui.say(exc.message)))
    if exc.problems:
        st.markdown("\n".join(f"- {md(ui.say(p))}" for p in exc.problems[:200]))


def column_config(name: str) -> dict:
    """German headers and input limits for the editor; the row version stays hidden."""
    config: dict = {ROW_VERSION: None}
    for column in SCHEMAS[name]:
        label = field_title(column.name, lang) + (" *" if column.required else "")
        if column.kind == "bool":
            config[column.name] = st.column_config.CheckboxColumn(label)
        elif column.kind == "date":
            config[column.name] = st.column_config.DateColumn(label, format="DD.MM.YYYY")
        elif column.kind == "fte":
            config[column.name] = st.column_config.NumberColumn(label, min_value=0.1, max_value=1.0, step=0.05,
                                                                format="localized")
        elif column.kind in {"int"}:
            config[column.name] = st.column_config.NumberColumn(label, min_value=0, step=1, format="%d")
        elif column.kind in {"lat", "lon", "share"}:
            # "localized": the browser's decimal mark (0,75 in a German browser), not a fixed point
            config[column.name] = st.column_config.NumberColumn(label, format="localized")
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
    hints = {"kitas": ui.t("data_hint_kitas"), "fachkraefte": ui.t("data_hint_fachkraefte"),
             "kontakte": ui.t("data_hint_kontakte"), "gemeinden_kennzahlen": ui.t("data_hint_gemeinden_kennzahlen")}
    st.caption(hints[name] + " " + ui.t("data_hint_required"))
    st.data_editor(base, key=editor_key, column_config=column_config(name), hide_index=True, width="stretch",
                   num_rows="fixed" if name == "gemeinden_kennzahlen" else "dynamic",
                   column_order=[c.name for c in SCHEMAS[name]])
    left, right = st.columns([1, 1])
    if right.button(ui.t("data_reload"), key=f"neu_laden_{name}"):
        st.session_state.pop(base_key, None)
        st.rerun()
    if left.button(ui.t("data_save"), type="primary", key=f"speichern_{name}"):
        try:
            changes = editor_changes(name, base, st.session_state.get(editor_key, {}))
        except DataError as exc:
            show_problems(exc)
            return
        if not changes:
            st.info(ui.t("data_nothing_to_save"))
            return
        run_write(lambda: store.save_changes(name, changes, who=who), lambda group: ui.t(
            "data_saved", tabelle=table_title(name, lang), n=len(changes.upserts), geloescht=len(changes.deletes),
            vorgang=group))


KEEP, LINE = "_uebernehmen", "_zeile"  # the preview's own columns: keep the row, its line in the file
MODE_IDS = {"update": N_("import_mode_update"), "replace": N_("import_mode_replace")}


def import_section() -> None:
    st.subheader(ui.t("data_import_title"))
    st.caption(ui.t("data_import_caption"))
    name = st.selectbox(ui.t("data_table"), list(imports.IMPORT_TABLES), format_func=lambda k: table_title(k, lang),
                        key="import_tabelle")
    modes = {m: ui.t(MODE_IDS[m]) for m in imports.MODES}
    mode = st.radio(ui.t("import_mode"), list(modes), format_func=modes.get, key="import_modus")
    if mode == "replace":
        st.warning(ui.t("import_mode_replace_warning", tabelle=table_title(name, lang)))
    limit = ui.t("data_file_help", mb=imports.MAX_UPLOAD_BYTES // 1024 // 1024)
    localise_uploader(ui.t("data_file_button"), limit)
    upload = st.file_uploader(ui.t("data_file"), type=imports.FILE_TYPES, key="import_datei", help=limit)
    if upload is None:
        ui.forget_upload()
        return
    try:
        parsed = ui.parsed_upload(upload)
    except DataError as exc:
        show_problems(exc)
        return
    sheets = parsed.sheet_names()
    sheet = sheets[0]
    if len(sheets) > 1:
        sheet = st.selectbox(ui.t("import_sheet"), sheets, index=sheets.index(imports.choose_sheet(parsed, name)),
                             key=f"import_blatt_{parsed.digest[:16]}_{name}")
    rows, mapped = imports.file_rows(name, parsed.sheets[sheet])
    st.caption(md(" · ".join(ui.say(note) for note in imports.sheet_notes(parsed, sheet) + mapped)))
    if rows.empty or not len(rows.columns):
        st.error(ui.t("import_nothing_recognised", tabelle=table_title(name, lang)))
        return
    st.markdown(ui.t("data_import_rows"))
    preview = rows.copy()
    preview.insert(0, KEEP, True)
    preview.insert(0, LINE, parsed.lines[sheet])  # first: a click on the first cell changes nothing
    edited = st.data_editor(
        preview, key=f"import_editor_{parsed.digest[:16]}_{name}_{sheets.index(sheet)}", hide_index=True,
        width="stretch", num_rows="fixed", disabled=[LINE],
        column_config={KEEP: st.column_config.CheckboxColumn(ui.t("import_keep")),
                       LINE: st.column_config.NumberColumn(ui.t("data_col_row"), format="%d"),
                       **{c: field_title(c, lang) for c in rows.columns}})
    places = imports.Places(ref.gemeinden, ref.areas, ref.plz, ref.ortsteile)
    data_version = store.version()
    result = imports.plan(name, edited.drop(columns=[KEEP, LINE]), places, store.read_for_edit(name), store.check,
                          mode=mode, lines=list(preview[LINE]), keep=[bool(k) for k in edited[KEEP]], lang=lang,
                          served=imports.served_kitas(store.read("fachkraefte")) if mode == "replace" else None)
    shown_before = st.session_state.get("import_angezeigt")
    shown_now = {"datei": parsed.digest, "tabelle": name, "plan": result.fingerprint(), "version": data_version}
    st.session_state["import_angezeigt"] = shown_now
    show_dry_run(result)
    nothing = not (result.upserts or result.deletes)
    if st.button(ui.t("data_apply"), type="primary", disabled=bool(result.problems) or nothing, key="import_uebernehmen"):
        if not shown_before or any(shown_before[k] != shown_now[k] for k in ("datei", "tabelle", "plan")):
            st.error(ui.t("data_dry_run_first"))
            return
        run_write(lambda: store.save_changes(name, result.changes(), who=who, group=new_group("import"),
                                             note=log_note("import", parsed.name[:80]),
                                             expected_version=shown_before["version"]),
                  lambda group: ui.t("data_imported", zusammenfassung=ui.say(result.summary()), vorgang=group))


def show_dry_run(result: imports.DryRun) -> None:
    """The dry run as it will be applied: counts, problems, values to check, each row's match, each change."""
    st.markdown(f"**{md(ui.t('data_dry_run'))}** {md(ui.say(result.summary()))}")
    counts = result.field_counts()
    if counts:
        st.caption(md(ui.t("import_field_counts", felder="; ".join(
            f"{field_title(f, lang)}: {n}" for f, n in counts.items()))))
    for note in result.notes:
        st.info(md(ui.say(note)))
    if result.problems:
        first = "  \n".join(ui.t("data_problem_line", zeile=p.row, spalte=md(ui.say(p.column)), problem=md(ui.say(p.message)))
                            for p in result.problems[:5])
        st.error(ui.t("data_problems", n=len(result.problems)) + "  \n" + first
                 + ("  \n…" if len(result.problems) > 5 else ""))
        st.dataframe(imports.problem_table(result.problems, lang), hide_index=True, width="stretch", key="import_probleme")
    if result.warnings:
        st.warning(ui.t("import_warnings", n=len(result.warnings)))
        st.dataframe(imports.problem_table(result.warnings, lang), hide_index=True, width="stretch",
                     key="import_hinweise")
    st.markdown(f"**{md(ui.t('import_rows_title'))}**")
    st.dataframe(imports.row_table(result, lang), hide_index=True, width="stretch", key="import_zeilen")
    if result.changed:
        st.markdown(f"**{md(ui.t('data_changed'))}**")
        st.dataframe(imports.change_table(result, lang), hide_index=True, width="stretch", key="import_geaendert")
    if result.deletes:
        st.warning(ui.t("import_will_remove", n=len(result.deletes)))
        with st.expander(ui.t("import_removed_list", n=len(result.deletes))):
            st.markdown(md(", ".join(result.removed)))


def export_section() -> None:
    st.subheader(ui.t("data_export_title"))
    tables = store.read_all()
    stamp = f"{dt.date.today():%Y-%m-%d}"
    columns = st.columns(len(tables))
    for column, (name, frame) in zip(columns, tables.items()):
        column.download_button(ui.t("data_download_csv", tabelle=table_title(name, lang)), imports.reimportable_csv(frame, lang), f"{name}-{stamp}.csv",
                               "text/csv", key=f"export_csv_{name}")
    left, right = st.columns(2)
    left.download_button(ui.t("data_download_excel"), imports.excel_bytes(tables, lang), f"kita-sozialarbeit-{stamp}.xlsx",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="export_xlsx")
    right.download_button(ui.t("data_download_gpkg"), imports.geopackage_bytes(tables),
                          f"kita-sozialarbeit-{stamp}.gpkg", "application/geopackage+sqlite3", key="export_gpkg")


def log_section() -> None:
    st.subheader(ui.t("data_log"))
    c1, c2, c3, c4 = st.columns(4)
    table = c1.selectbox(ui.t("data_table"), ["", *TABLE_LABELS, SCENARIO_TABLE],
                         format_func=lambda k: table_title(k, lang) if k else ui.t("data_all"), key="log_tabelle")
    person = c2.text_input(ui.t("data_log_who"), max_chars=80, key="log_wer")
    record = c3.text_input(ui.t("data_log_record"), max_chars=64, key="log_datensatz")
    text = c4.text_input(ui.t("data_log_value"), max_chars=80, key="log_text")
    log = store.change_log(tabelle=table, wer=person.strip(), datensatz=record.strip(), text=text.strip(), limit=500)
    if log.empty:
        st.info(ui.t("data_log_empty"))
        return
    labels = {g: group_label(g, log[log["vorgang"] == g], lang)
              for g in dict.fromkeys(log["vorgang"].dropna()) if isinstance(g, str) and g}
    shown = pd.DataFrame({
        ui.t("data_col_nr"): log["nr"],
        ui.t("data_col_time"): [f"{date(z.date(), lang)} {z:%H:%M:%S}" for z in pd.to_datetime(log["zeit"])],
        ui.t("data_col_who"): log["wer"], ui.t("data_table"): log["tabelle"].map(lambda k: table_title(k, lang)),
        ui.t("data_col_record"): log["datensatz"],
        ui.t("data_col_what"): [describe(a, n, lang) for a, n in zip(log["alt"], log["neu"])],
        ui.t("data_col_group"): log["vorgang"].map(lambda g: labels.get(g, "")),
        ui.t("field_hinweis"): [log_note_in_language(note, lang) for note in log["hinweis"]],
        ui.t("data_col_undone"): log["rueckgaengig"].astype(bool),
    })
    st.dataframe(shown, hide_index=True, width="stretch", key="log_tabelle_anzeige")
    st.markdown(ui.t("data_undo_title"))
    c1, c2 = st.columns(2)
    undoable = log[(log["datensatz"] != "*") & ~log["rueckgaengig"].astype(bool)]
    if len(undoable):
        number = c1.selectbox(ui.t("data_undo_one_label"), list(undoable["nr"]), key="undo_nr",
                              format_func=lambda n: label_of(undoable, n))
        if c1.button(ui.t("data_undo_one"), key="undo_eine"):
            run_write(lambda: store.undo(int(number), who=who),
                      lambda group: ui.t("data_undone_one", nr=number, vorgang=group))
        groups = [g for g in dict.fromkeys(undoable["vorgang"].dropna()) if g and g != "erstbefuellung"]
        if groups:
            last = st.session_state.get("letzter_vorgang")
            group = c2.selectbox(ui.t("data_undo_group_label"), groups, key="undo_vorgang", format_func=labels.get,
                                 index=groups.index(last) if last in groups else 0)
            if c2.button(ui.t("data_undo_group"), key="undo_vorgang_knopf"):
                run_write(lambda: store.undo_group(group, who=who),
                          lambda undo: ui.t("data_undone_group", vorgang=labels[group], neu=undo))


def label_of(log: pd.DataFrame, number) -> str:
    row = log[log["nr"] == number].iloc[0]
    return ui.t("data_log_item", nr=number, tabelle=table_title(row["tabelle"], lang), datensatz=row["datensatz"],
                wer=row["wer"])


def run_write(action, message) -> None:
    """Run one write (save, import, undo); on success remember its group, reload the editors and show
    ``message(group)``; on refusal show why (with the current rows when someone else changed them)."""
    try:
        group = action()
    except StaleError as exc:
        show_problems(exc)
        st.markdown(ui.t("data_current_values"))
        st.dataframe(exc.current.drop(columns=[ROW_VERSION], errors="ignore"), hide_index=True)
        return
    except DataError as exc:
        show_problems(exc)
        return
    except StoreError as exc:
        st.error(md(ui.say_error(exc)))
        return
    st.session_state["letzter_vorgang"] = group
    for name in TABLE_LABELS:
        st.session_state.pop(f"basis_{name}", None)
    st.session_state["daten_meldung"] = message(group_label(group, store.change_log(vorgang=group), lang))
    st.rerun()


if section in TABLE_LABELS:
    edit_table(section)
elif section == "import":
    import_section()
elif section == "export":
    export_section()
else:
    log_section()
