"""Coordinators: where do N new VZÄ go? Rule, step-by-step reasons, overrides, before/after,
exports, scenarios (save, compare, apply after confirmation).

The page reads top to bottom as its sections; the rules are in kita.planning (the plan) and
datastore.scenarios (saving, applying and the check that what is applied was shown)."""

import datetime as dt

import pandas as pd
import streamlit as st

import ui
from geo import maps
from reports import overview
from kita import planning
from reports import tables as report_tables
from kita.coverage import kita_coverage, rule_text
from kita.errors import DataError, StoreError
from geo.layers import uses_demo_data
from kita.numbers import NumberInputError, parse_number
from datastore.scenarios import MAX_NAME, Scenarios, ShownApply, apply_basis, data_changed_since
from reports.tables import date_time
from kita.text import date, md

ui.page_setup("nav_planning")

settings, ref, tables = ui.settings(), ui.reference(), ui.tables()
positions, kitas = tables["fachkraefte"], tables["kitas"]
threshold = settings.max_children_per_fte
area_names = dict(zip(ref.areas["gebiet_rs"], ref.areas["gebiet"]))
lang = ui.lang()


@st.cache_resource(show_spinner=False)
def scenario_store(url: str) -> Scenarios:
    return Scenarios(ui.store().engine, read_only=ui.store().read_only)


@st.cache_resource(show_spinner=False, max_entries=32)
def _plan(inputs: planning.PlanInputs, version: int, lang: str) -> planning.PlanResult:
    """One plan per inputs, data version and language (results are shared: never change them)."""
    return planning.make_plan(
        inputs, ref.areas, kitas, positions, tables["gemeinden_kennzahlen"], ref.gemeinden, threshold,
        settings.max_new_fte, lang,
    )


def compute(inputs: planning.PlanInputs) -> planning.PlanResult:
    with st.spinner(ui.t("spinner_plan")):
        return _plan(inputs, ui.store().version(), lang)


def plan_map(inputs: planning.PlanInputs, after: bool, basemap: str, lang: str):
    """The coverage map at the plan's start, without (before) or with (after) the planned positions (built on a
    miss of ui.map_component's cache only)."""
    result = compute(inputs)
    coverage = result.after if after else result.before
    return maps.build_map(
        ref.areas, coverage, kita_coverage(inputs.beginn, kitas, result.staff(after)), ref.district,
        maps.coverage_fill(coverage, ui.t("map_title_with_plan") if after else ui.t("map_title_without_plan"),
                           lang=lang),
        gemeinden=ref.gemeinden, basemap=basemap, basemap_attribution=settings.basemap_attribution,
        boundary_attribution=ref.credit_in(lang), lang=lang,
    )


def show_plan_map(inputs: planning.PlanInputs, after: bool, version: int, key: str) -> None:
    """Rendered once per content and shared by all sessions (the same content keeps the same component); only a
    miss builds it. The map without the plan depends only on the start and the what-if choice, not on the rule,
    the number of VZÄ or the overrides."""
    plan = inputs if after else (inputs.beginn, inputs.replace_new)
    ui.map_component(("planung", after, plan, version, settings.basemap, lang),
                     lambda: plan_map(inputs, after, settings.basemap, lang), key=key, height=420, returned_objects=[])


def show_error(exc: Exception) -> None:
    st.error(f"**{md(ui.t('plan_not_possible'))}** {md(ui.say_error(exc))}")
    st.stop()


def inputs_section() -> planning.PlanInputs:
    """Number of new VZÄ, step, start, rule, weights, what-if: kept in the URL and across page changes."""
    rules = list(planning.RULES)
    steps_text = {c: planning.step_text(c, lang) for c in planning.STEP_CHOICES}
    entering = "n_vze" not in st.session_state  # the page was just opened (or reopened from another page)
    linked_n, linked_step = ui.query_number("n"), ui.query_number("schritt")
    ui.restore("schritt", planning.STEP_FTE, linked_step if linked_step in planning.STEP_CHOICES else None)
    ui.restore("beginn", planning.default_start(ui.today()), ui.query_date("beginn"))
    ui.restore("regel", settings.planning_rule if settings.planning_rule in rules else rules[0],
               ui.query_value("regel", set(rules)))
    ui.restore("ersetzen", False, st.query_params.get("ersetzen") == "1" if "ersetzen" in st.query_params else None)
    if entering and "hand" in st.query_params:
        linked_overrides = planning.parse_overrides(st.query_params["hand"], set(area_names))
        if linked_overrides is None:
            st.warning(md(ui.t("plan_link_bad_overrides")))
        else:
            st.session_state["ueberschreibungen"] = linked_overrides

    left, step_col, middle, right = st.columns([1, 1, 1, 2])
    n_text = ui.number_text(left, ui.t("plan_new_fte"), "n_vze", 3.0, digits=2, url_value=linked_n,
                            help=ui.t("plan_new_fte_help", a=planning.step_text(1.5, lang),
                                      b=planning.step_text(3.25, lang)))
    step = step_col.selectbox(ui.t("plan_step_label"), list(planning.STEP_CHOICES), format_func=steps_text.get,
                              key="schritt", help=ui.t("plan_step_help", a=planning.step_text(0.25, lang),
                                                       b=planning.step_text(3.25, lang)))
    beginn = middle.date_input(
        ui.t("plan_start_label"), format="DD.MM.YYYY", key="beginn",
        # wide bounds: a date outside the data gets the rule's message instead of a silent clamp
        min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31),
    )
    rule = right.radio(ui.t("plan_rule_label"), rules, format_func=lambda k: planning.RULES[k].title(lang),
                       key="regel")
    st.info(md(planning.rule_explanation(rule, threshold, lang)))
    weights: dict[str, float] = {}
    weight_errors: list[str] = []
    if rule == "bedarfsindex":
        st.markdown(ui.t("plan_weights_intro"))
        for column, key in zip(st.columns(len(planning.WEIGHTS)), planning.WEIGHTS):
            label = planning.weight_title(key, lang)
            text = ui.number_text(column, label, f"gewicht_{key}", float(settings.planning_weights.get(key, 0.0)),
                                  digits=2, url_value=ui.query_number(f"g_{key}"))
            try:
                weights[key] = parse_number(text, lang, ui.t("plan_weight_what", kennzahl=label))
            except NumberInputError as exc:
                weight_errors.append(ui.say_error(exc))
    replace_new = st.checkbox(ui.t("plan_replace_new", beispiel=date(settings.summer_2024, lang)), key="ersetzen")
    overrides: dict[int, str] = st.session_state.setdefault("ueberschreibungen", {})
    ui.remember("n_vze", "schritt", "beginn", "regel", "ersetzen", *[f"gewicht_{k}" for k in planning.WEIGHTS])

    def share_view(n_fte: float | None) -> None:
        """The plan's inputs in the URL (?n=3.25&schritt=0.25&regel=…&beginn=…&hand=1:073315003), language kept."""
        ui.set_query({
            "n": "" if n_fte is None else f"{n_fte:g}", "schritt": f"{step:g}", "regel": rule,
            "beginn": beginn.isoformat(), "ersetzen": "1" if replace_new else "",
            **{f"g_{k}": f"{v:g}" for k, v in weights.items()},
            "hand": planning.format_overrides(overrides),
        })

    try:
        n_fte = parse_number(n_text, lang, ui.t("plan_new_fte"))
    except NumberInputError as exc:
        share_view(None)
        show_error(exc)
    if weight_errors:
        share_view(n_fte)
        show_error(" ".join(weight_errors))
    share_view(n_fte)
    problem = overview.check_stand(beginn, positions, ui.today(), lang)
    if problem:
        show_error(problem)
    return planning.make_inputs(n_fte, rule, beginn, weights, overrides, replace_new, step)


def plan_section(inputs: planning.PlanInputs, result: planning.PlanResult) -> None:
    """The steps with their reasons, the overrides, and (what-if) the rule against what happened."""
    overrides = st.session_state["ueberschreibungen"]
    if result.need is not None:
        with st.expander(ui.t("plan_need_shares_title"), expanded=False):
            ui.show_table(planning.need_table(result.need, lang))
            if uses_demo_data({"kennzahlen": tables["gemeinden_kennzahlen"]}):
                st.caption(ui.t("plan_indicators_estimates"))
    st.header(ui.t("plan_steps_title"))
    for line in planning.summary_lines(result):
        st.markdown(md(line))
    if not result.steps:
        st.info(ui.t("plan_nothing_to_hand_out"))
    else:
        st.markdown("\n".join(f"{step.nr}. {md(step.begruendung)}" for step in result.steps))
        ui.show_table(result.steps_table().drop(columns=[ui.t("col_begruendung")]))
    for note in result.notes:
        st.info(md(note))

    if result.steps:
        with st.expander(ui.t("plan_override_title"), expanded=bool(overrides)):
            c1, c2, c3 = st.columns([1, 2, 1])
            step_nr = c1.selectbox(ui.t("col_schritt"), [s.nr for s in result.steps], key="ueb_schritt")
            area = c2.selectbox(ui.t("col_gebiet"), list(area_names), format_func=area_names.get, key="ueb_gebiet")
            if c3.button(ui.t("plan_override_button"), key="ueb_festlegen"):
                overrides[int(step_nr)] = area
                st.rerun()
            if overrides:
                st.markdown(ui.t("plan_summary_manual", liste=", ".join(
                    ui.t("override_item", nr=nr, gebiet=md(area_names.get(key, key)))
                    for nr, key in sorted(overrides.items()))))
                if st.button(ui.t("plan_override_clear"), key="ueb_aufheben"):
                    overrides.clear()
                    st.rerun()

    if inputs.replace_new:
        st.subheader(ui.t("plan_rule_vs_reality"))
        ui.show_table(planning.actual_vs_plan(result))


def before_after_section(inputs: planning.PlanInputs, result: planning.PlanResult) -> None:
    st.header(ui.t("before_after_title"))
    ui.show_table(planning.plan_change_table(result))
    version = ui.store().version()
    map_before, map_after = st.columns(2)
    with map_before:
        st.markdown(ui.t("plan_map_without", tag=date(inputs.beginn, lang)))
        show_plan_map(inputs, False, version, "plan_vorher")
    with map_after:
        st.markdown(ui.t("plan_map_with", tag=date(inputs.beginn, lang)))
        show_plan_map(inputs, True, version, "plan_nachher")


def export_section(inputs: planning.PlanInputs, result: planning.PlanResult) -> None:
    st.header(ui.t("plan_export_title"))
    rule = inputs.rule
    demo = uses_demo_data(tables)
    stamp = f"planung-{inputs.beginn:%Y-%m-%d}-{planning.step_text(inputs.n_fte).replace(',', '-')}vze"
    info = ui.export_info(
        ui.t("plan_export_content"), ui.t("plan_export_stand", beginn=date(inputs.beginn, lang)),
        ((ui.t("plan_export_rule"), f"{planning.RULES[rule].title(lang)}: {planning.rule_explanation(rule, threshold, lang)}"),
         *((ui.t("plan_export_inputs"), line) for line in planning.summary_lines(result))))
    c1, c2, c3 = st.columns(3)
    # Made on click (deferred): outside the page's run, so every text the files need is taken now.
    sheet_names = (ui.t("plan_steps_title"), ui.t("sheet_before_after"), ui.t("plan_sheet_new_positions"))
    rule_said, rule_explained = rule_text(threshold, lang), planning.rule_explanation(rule, threshold, lang)
    ui.download(c1, ui.t("plan_download_steps_csv"), lambda: report_tables.csv_bytes(result.steps_table(), info),
                f"{stamp}.csv", "text/csv", key="export_csv", deferred=True)
    ui.download(
        c2, ui.t("plan_download_excel"),
        lambda: report_tables.excel_bytes(dict(zip(sheet_names, (result.steps_table(), planning.plan_change_table(result),
                                                          result.positions))), info),
        f"{stamp}.xlsx", ui.XLSX, key="export_xlsx", deferred=True,
    )
    ui.download(
        c3, ui.t("plan_download_html"),
        lambda: report_tables.plan_html(result, rule_said, rule_explained, demo, dt.datetime.now()).encode("utf-8"),
        f"{stamp}.html", "text/html", key="export_html", deferred=True,
    )


def save_scenario(scenarios: Scenarios, inputs: planning.PlanInputs, who: str) -> None:
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    # No max_chars: the browser would cut a longer name silently; save() refuses it with a message instead.
    name = c1.text_input(ui.t("scenario_name_label", n=MAX_NAME), key="szenario_name",
                         placeholder=ui.t("scenario_name_placeholder", n=planning.step_text(3, lang),
                                          regel=planning.RULES["bedarfsindex"].title(lang)))
    if c2.button(ui.t("scenario_save"), key="szenario_speichern"):
        try:
            saved = scenarios.save(name, inputs, who=who, lang=lang)
            st.session_state["szenario_meldung"] = ui.t("scenario_saved", name=md(saved))
            st.rerun()
        except (DataError, StoreError) as exc:
            st.error(md(ui.say_error(exc)))


def scenario_list(saved: list) -> None:
    st.dataframe(pd.DataFrame(
        [(s.name, date_time(s.angelegt, lang), s.wer,
          ui.t("scenario_summary", n=planning.step_text(s.inputs.n_fte, lang),
               regel=planning.RULES[s.inputs.rule].title(lang), beginn=date(s.inputs.beginn, lang)),
          date_time(s.angewendet, lang) if s.angewendet else "") for s in saved],
        columns=[ui.t("scenario_col_name"), ui.t("scenario_col_created"), ui.t("scenario_col_by"),
                 ui.t("scenario_col_summary"), ui.t("scenario_col_applied")]),
        hide_index=True, width="stretch",
    )


def compare_scenarios(scenarios: Scenarios, names: list[str]) -> None:
    st.subheader(ui.t("scenarios_compare_title"))
    c1, c2 = st.columns(2)
    first = c1.selectbox(ui.t("scenarios_compare_first"), names, index=0, key="vergleich_a")
    second = c2.selectbox(ui.t("scenarios_compare_second"), names, index=1, key="vergleich_b")
    try:
        comparison = planning.compare_plans(
            compute(scenarios.get(first, lang).inputs), compute(scenarios.get(second, lang).inputs), first, second,
            lang)
        ui.show_table(comparison)
        st.caption(ui.t("scenarios_compare_caption"))
    except DataError as exc:
        st.error(md(ui.say_error(exc)))


def delete_scenario(scenarios: Scenarios, chosen: str, who: str) -> None:
    """Deleting asks once more: the first click shows what would go, the second deletes."""
    if st.session_state.get("_szenario_loeschen_frage") != chosen:
        if st.button(ui.t("scenario_delete"), key="szenario_loeschen_frage"):
            st.session_state["_szenario_loeschen_frage"] = chosen
            st.rerun()
        return
    st.warning(ui.t("scenario_delete_confirm", name=md(chosen)))
    yes, no = st.columns(2)
    if yes.button(ui.t("scenario_delete_yes"), key="szenario_loeschen", type="primary"):
        st.session_state.pop("_szenario_loeschen_frage", None)
        try:
            scenarios.delete(chosen, who=who, lang=lang)
            st.session_state["szenario_meldung"] = ui.t("scenario_deleted", name=md(chosen))
        except (DataError, StoreError) as exc:
            st.session_state["szenario_meldung"] = None
            st.error(md(ui.say_error(exc)))
        st.rerun()
    if no.button(ui.t("scenario_delete_no"), key="szenario_loeschen_abbrechen"):
        st.session_state.pop("_szenario_loeschen_frage", None)
        st.rerun()


def apply_scenario(scenarios: Scenarios, scenario, who: str) -> None:
    """Show what applying writes, ask for confirmation, write after a click that matches what was shown."""
    chosen = scenario.name
    data_version = ui.store().version()
    try:
        chosen_result = compute(scenario.inputs)
    except DataError as exc:
        st.error(md(ui.say_error(exc)))
        st.stop()
    new = chosen_result.positions
    st.markdown(ui.t("scenario_will_write"))
    ui.show_table(pd.DataFrame({
        "id": new["id"], "bezeichnung": new["bezeichnung"], "gebiet": new["gebiet_rs"].map(area_names),
        "vze": new["vze"], "beginn": [date(d, lang) for d in new["beginn"]],
    }))
    shown_before = st.session_state.get("uebernahme_angezeigt")
    st.session_state["uebernahme_angezeigt"] = ShownApply(chosen, data_version, tuple(new["id"]))
    if data_changed_since(shown_before, chosen, data_version):
        st.warning(ui.t("scenario_data_changed"))
    confirmed = st.checkbox(
        ui.t("scenario_confirm", n=len(new), vze=planning.step_text(new["vze"].sum() if len(new) else 0, lang),
             beginn=date(scenario.inputs.beginn, lang)),
        key=f"bestaetigt_{chosen}_{data_version}",
    )
    past = scenario.inputs.beginn < ui.today()
    confirmed_past = False
    if past:
        st.warning(ui.t("scenario_past_warning", beginn=date(scenario.inputs.beginn, lang)))
        confirmed_past = st.checkbox(ui.t("scenario_past_confirm"), key=f"vergangenheit_{chosen}_{data_version}")
    if st.button(ui.t("scenario_apply_button"), disabled=not confirmed or (past and not confirmed_past),
                 type="primary", key="uebernehmen"):
        try:
            basis = apply_basis(shown_before, chosen)
            ids = scenarios.apply(chosen, chosen_result, ui.store(), who=who, shown_version=basis.version,
                                  shown_ids=list(basis.ids), today=ui.today(), confirm_past=confirmed_past, lang=lang)
            st.session_state["szenario_meldung"] = ui.t("scenario_applied", name=md(chosen), ids=", ".join(ids))
            st.rerun()
        except (DataError, StoreError) as exc:
            st.error(md(ui.say_error(exc)))


def scenarios_section(inputs: planning.PlanInputs) -> None:
    """Coordinators only: saving, deleting and applying write to the database."""
    st.header(ui.t("scenarios_title"))
    who = ui.require_coordinator()
    scenarios = ui.guarded(lambda: scenario_store(settings.database_url), ui.t("scenarios_step_open"))
    message = st.session_state.pop("szenario_meldung", None)
    if message:
        st.success(message)
    save_scenario(scenarios, inputs, who)
    saved = scenarios.all()
    if not saved:
        st.caption(ui.t("scenarios_none"))
        return
    scenario_list(saved)
    names = [s.name for s in saved]
    if len(saved) >= 2:
        compare_scenarios(scenarios, names)
    st.subheader(ui.t("scenario_apply_title"))
    chosen = st.selectbox(ui.t("scenario_col_name"), names, key="uebernehmen_name")
    scenario = scenarios.get(chosen, lang)
    if not scenario.angewendet:
        delete_scenario(scenarios, chosen, who)
    if scenario.inputs.replace_new:
        st.info(ui.t("scenario_is_comparison"))
    elif scenario.angewendet:
        st.info(ui.t("scenario_applied_on", name=md(chosen), zeit=date_time(scenario.angewendet, lang),
                     stellen=md(scenario.stellen)))
    else:
        apply_scenario(scenarios, scenario, who)


# --- the page ---------------------------------------------------------------------------------------
st.title(ui.t("planning_title"))
st.markdown(ui.t("planning_intro"))
ui.demo_notice(tables)
st.caption(md(rule_text(threshold, lang)))
inputs = inputs_section()
try:
    result = compute(inputs)
except DataError as exc:
    show_error(exc)
plan_section(inputs, result)
before_after_section(inputs, result)
export_section(inputs, result)
scenarios_section(inputs)
