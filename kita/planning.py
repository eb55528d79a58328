"""Planning new Kita-Sozialarbeit staff: where do N new VZÄ go? Transparent and reproducible.

N new VZÄ are handed out in steps of a chosen size (0,25, 0,5 or 1 VZÄ; default 0,5), one step at a time, each to the area with the largest
need *after* the previous steps. Three rules say what "need" means (``RULES``); each step is
explained in one German sentence made here, so the page, the exports and the tests show the same
text. The coordinator may force any step to an area (override); later steps are recomputed.
Same inputs, same plan: ties are broken by a stated order (``TIE_BREAK``).

The planned steps become positions (``planned_positions``) that start on a chosen date; the
"after" coverage is the ordinary coverage rule (kita/coverage.py) with those positions added.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from kita.coverage import CLASSES, COVERED, NONE, UNDER, change_between, classify, coverage_at
from kita.errors import DataError
from kita.indicators import area_indicators, missing_message, missing_values
from kita.i18n import N_, text
from kita.numbers import NumberInputError, parse_number
from kita.text import date, number

STEP_FTE = 0.5  # the default step
STEP_CHOICES = (0.25, 0.5, 1.0)  # 0,25 lets a plan match real additions such as 3,25 VZÄ in summer 2024
MAX_POSITION_FTE = 1.0  # one planned position holds at most one full-time equivalent


class PlanningError(DataError):
    """The planning inputs are not usable (German message); nothing was computed or written."""


@dataclass(frozen=True)
class Rule:
    key: str
    label_id: str  # catalogue ids of its name and of its explanation (which may contain {schwelle})
    explanation_id: str

    def title(self, lang: str = "de") -> str:
        return text(self.label_id, lang)

    @property
    def label(self) -> str:
        return self.title("de")


RULES = {
    "ausgleich": Rule("ausgleich", N_("rule_ausgleich"), N_("rule_ausgleich_explanation")),
    "unversorgte_zuerst": Rule("unversorgte_zuerst", N_("rule_unversorgte_zuerst"),
                               N_("rule_unversorgte_zuerst_explanation")),
    "bedarfsindex": Rule("bedarfsindex", N_("rule_bedarfsindex"), N_("rule_bedarfsindex_explanation")),
}
TIE_BREAK = N_("rule_tie_break")  # more Kita children first, then the smaller area key

# Weights of the need index: the area's share of the district total of each of these figures (catalogue ids).
WEIGHTS = {
    "kinder_u7": N_("ind_kinder_u7"),
    "kinder_buergergeld_u7": N_("ind_kinder_buergergeld_u7"),
    "kinder_nichtdeutsch_u7": N_("ind_kinder_nichtdeutsch_u7"),
    "kita_kinder": N_("col_kinder"),
}


def weight_title(key: str, lang: str = "de") -> str:
    """The name of a need-index weight in ``lang``."""
    return text(WEIGHTS[key], lang)


def step_text(value: float, lang: str = "de") -> str:
    """VZÄ in the UI language with as many decimals as needed, at least one: 0,5 · 0,25 · 3,0 · 3,25 (Babel)."""
    from babel.numbers import format_decimal

    from kita.i18n import locale_of
    return format_decimal(round(float(value), 2), format="#,##0.0#", locale=locale_of(lang))


def rule_explanation(rule: str, max_children_per_fte: float, lang: str = "de") -> str:
    """The rule in ``lang``, for the page and the exports (with the tie-break)."""
    explanation = text(RULES[rule].explanation_id, lang, schwelle=number(max_children_per_fte, 0, lang))
    return explanation + " " + text(TIE_BREAK, lang)


def default_start(today: dt.date) -> dt.date:
    """New positions start today unless the coordinator enters their real start date: an applied
    plan then shows at once on every page (map, coverage), which work with today's date."""
    return today


@dataclass(frozen=True)
class PlanInputs:
    """Everything that determines a plan (saved as a scenario)."""

    n_fte: float
    rule: str
    beginn: dt.date
    weights: tuple[tuple[str, float], ...] = ()
    overrides: tuple[tuple[int, str], ...] = ()  # (step number from 1, area key)
    # True: positions starting on or after ``beginn`` are left out of the base, so the plan shows where
    # the rule would have put them (a what-if, e.g. for summer 2024); such a plan cannot be applied.
    replace_new: bool = False
    step: float = STEP_FTE  # VZÄ per step (one of STEP_CHOICES)

    def to_dict(self) -> dict:
        return {
            "n_fte": self.n_fte, "rule": self.rule, "beginn": self.beginn.isoformat(),
            "weights": dict(self.weights), "overrides": {str(k): v for k, v in self.overrides},
            "replace_new": self.replace_new, "step": self.step,
        }

    @classmethod
    def from_dict(cls, data: dict) -> PlanInputs:
        return cls(
            n_fte=float(data["n_fte"]), rule=str(data["rule"]), beginn=dt.date.fromisoformat(data["beginn"]),
            weights=tuple(sorted((k, float(v)) for k, v in data.get("weights", {}).items())),
            overrides=tuple(sorted((int(k), str(v)) for k, v in data.get("overrides", {}).items())),
            replace_new=bool(data.get("replace_new", False)),
            step=float(data.get("step", STEP_FTE)),  # scenarios saved before the step was selectable: 0,5
        )


def make_inputs(
    n_fte, rule: str, beginn: dt.date, weights: dict | None = None, overrides: dict | None = None,
    replace_new: bool = False,
    step: float = STEP_FTE,
) -> PlanInputs:
    return PlanInputs(
        n_fte=n_fte, rule=rule, beginn=beginn,
        weights=tuple(sorted((weights or {}).items())),
        overrides=tuple(sorted((int(k), v) for k, v in (overrides or {}).items())),
        replace_new=bool(replace_new), step=float(step),
    )


def format_overrides(overrides: dict[int, str]) -> str:
    """Overrides for a link: "1:073315003,3:073310003" (step:area key)."""
    return ",".join(f"{nr}:{key}" for nr, key in sorted(overrides.items()))


def parse_overrides(text: str, area_keys: set[str]) -> dict[int, str] | None:
    """format_overrides() read back; None if any part is not "step:known area key"."""
    result: dict[int, str] = {}
    for part in filter(None, str(text or "").split(",")):
        nr, _, key = part.partition(":")
        if not nr.strip().isdigit() or int(nr) < 1 or key.strip() not in area_keys:
            return None
        result[int(nr)] = key.strip()
    return result


@dataclass
class Step:
    nr: int
    gebiet_rs: str
    gebiet: str
    vze: float
    vze_vorher: float
    von_hand: bool
    begruendung: str


# Titles of steps_table()'s columns (catalogue ids).
STEP_COLUMNS = (N_("col_schritt"), N_("col_gebiet"), N_("col_vze"), N_("col_vze_vorher"), N_("col_vze_nachher"),
                N_("col_von_hand"), N_("col_begruendung"))


@dataclass
class PlanResult:
    inputs: PlanInputs
    steps: list[Step]
    before: pd.DataFrame  # coverage_at(beginn) with the existing positions
    after: pd.DataFrame  # coverage_at(beginn) with the planned positions added
    change: pd.DataFrame  # change_between(before, after)
    positions: pd.DataFrame  # the planned positions (fachkraefte schema)
    notes: list[str] = field(default_factory=list)
    need: pd.DataFrame | None = None  # need_breakdown() for the need index, else None
    replaced: pd.DataFrame | None = None  # with replace_new: the real positions the plan is compared with
    base: pd.DataFrame | None = None  # the positions the plan builds on
    lang: str = "de"  # the language of the reasons and notes

    def staff(self, after: bool) -> pd.DataFrame:
        """The positions behind ``before`` (after=False) or ``after`` (base plus the planned ones)."""
        if not after or self.positions.empty:
            return self.base
        return pd.concat([self.base, self.positions], ignore_index=True)

    def steps_table(self, lang: str | None = None) -> pd.DataFrame:
        """One row per step; titles in ``lang`` (the plan's language by default)."""
        lang = lang or self.lang
        titles = [text(i, lang) for i in STEP_COLUMNS]
        return pd.DataFrame(
            [(s.nr, s.gebiet, s.vze, s.vze_vorher, round(s.vze_vorher + s.vze, 2), s.von_hand, s.begruendung)
             for s in self.steps],
            columns=titles,
        )

    def added_per_area(self) -> dict[str, float]:
        added: dict[str, float] = {}
        for step in self.steps:
            added[step.gebiet_rs] = round(added.get(step.gebiet_rs, 0.0) + step.vze, 2)
        return added


# --- validation ---------------------------------------------------------------------------------


def check_step(step, lang: str = "de") -> float:
    """The step size, or PlanningError if it is not one of STEP_CHOICES."""
    try:
        value = float(step)
    except (TypeError, ValueError):
        value = math.nan
    for choice in STEP_CHOICES:
        if abs(value - choice) < 1e-9:
            return choice
    choices = ", ".join(number(c, 2, lang) for c in STEP_CHOICES)
    raise PlanningError(text("plan_step_invalid", lang, schritt=step, moeglich=choices))


def check_n(n_fte, max_new_fte: float, step: float = STEP_FTE, lang: str = "de") -> float:
    """N as float, or PlanningError with a message in ``lang`` (negative, not a multiple of the step, too large).

    Text is read as a number in ``lang`` (``2,5`` in German; ``1.5`` is refused rather than read as 15)."""
    step = check_step(step, lang)
    try:
        value = parse_number(n_fte, lang, text("plan_new_fte", lang)) if isinstance(n_fte, str) else float(n_fte)
    except (NumberInputError, TypeError, ValueError) as exc:
        raise PlanningError(text("plan_n_not_number", lang, eingabe=n_fte, beispiel=step_text(3, lang))) from exc
    if not math.isfinite(value):
        raise PlanningError(text("plan_n_not_finite", lang))
    if value < 0:
        raise PlanningError(text("plan_n_negative", lang, wert=number(value, 2, lang)))
    if value > max_new_fte:
        raise PlanningError(text("plan_n_too_large", lang, wert=number(value, 2, lang),
                                 hoechstens=number(max_new_fte, 1, lang)))
    steps = value / step
    if abs(steps - round(steps)) > 1e-9:
        lower, upper = math.floor(steps) * step, math.ceil(steps) * step
        raise PlanningError(text("plan_n_not_multiple", lang, schritt=number(step, 2, lang), wert=number(value, 2, lang),
                                 unten=number(lower, 2, lang), oben=number(upper, 2, lang)))
    return round(steps) * step


def check_weights(weights: dict[str, float], lang: str = "de") -> dict[str, float]:
    unknown = set(weights) - set(WEIGHTS)
    if unknown:
        raise PlanningError(text("plan_weights_unknown", lang, namen=", ".join(sorted(unknown))))
    checked = {key: float(weights.get(key, 0.0)) for key in WEIGHTS}
    if any(not math.isfinite(v) or v < 0 for v in checked.values()):
        raise PlanningError(text("plan_weights_negative", lang))
    if sum(checked.values()) <= 0:
        raise PlanningError(text("plan_weights_zero", lang))
    return checked


def _unknown_rule(rule: str, lang: str) -> PlanningError:
    return PlanningError(text("plan_rule_unknown", lang, regel=rule, moeglich=", ".join(RULES)))


# --- the rules --------------------------------------------------------------------------------


@dataclass
class _Area:
    gebiet_rs: str
    gebiet: str
    kinder: int
    vze: float
    need_share: float = 0.0  # only for the need index


def _priority(rule: str, area: _Area, threshold: float, lang: str = "de") -> tuple[tuple, str, str]:
    """(sort key: larger = more need; the area's figures in words; why it wins when it is first)."""
    per_fte = area.kinder / area.vze if area.vze > 0 else math.inf
    # Tie-break (TIE_BREAK): more Kita children, then the smaller key (negated characters sort it first).
    tie = (area.kinder, tuple(-ord(c) for c in area.gebiet_rs))
    share = number(area.need_share * 100, 1, lang)
    if area.vze <= 0:
        reason = text("reason_none", lang, klasse=CLASSES[NONE].title(lang), kinder=number(area.kinder, 0, lang))
        if rule == "bedarfsindex":
            reason += ", " + text("reason_need_share", lang, anteil=share)
        return (math.inf, area.need_share if rule == "bedarfsindex" else 0, *tie), reason, ""
    fte = number(area.vze, 2, lang)
    if rule == "ausgleich":
        return (per_fte, *tie), text("reason_per_fte_at", lang, je=number(per_fte, 0, lang), vze=fte), \
            text("reason_highest", lang)
    if rule == "unversorgte_zuerst":
        if classify(area.vze, per_fte, threshold) == UNDER:
            gap = area.kinder / threshold - area.vze
            return (1, gap, *tie), text("reason_gap", lang, klasse=CLASSES[UNDER].title(lang),
                                        luecke=number(gap, 2, lang), schwelle=number(threshold, 0, lang)), \
                text("reason_largest_gap", lang)
        return (0, per_fte, *tie), text("reason_covered", lang, klasse=CLASSES[COVERED].title(lang),
                                        je=number(per_fte, 0, lang)), text("reason_all_covered", lang)
    if rule == "bedarfsindex":
        score = area.need_share / area.vze
        return (score, *tie), text("reason_need_index", lang, anteil=share, vze=fte,
                                   je=number(score * 100, 1, lang)), text("reason_highest", lang)
    raise _unknown_rule(rule, lang)


def _ranked(areas: list[_Area], rule: str, threshold: float) -> list[_Area]:
    return sorted(areas, key=lambda a: _priority(rule, a, threshold)[0], reverse=True)


def _reason(rule: str, area: _Area, threshold: float, first: bool, lang: str = "de") -> str:
    _, figures, why = _priority(rule, area, threshold, lang)
    return f"{figures}, {why}" if first and why else figures


def need_breakdown(
    weights: dict[str, float], coverage: pd.DataFrame, indicators: pd.DataFrame | None, lang: str = "de"
) -> pd.DataFrame:
    """Per area: its share of the district total of every weighted figure, and the need share
    (the weighted mean of those shares; the need shares of all areas sum to 1)."""
    figures = pd.DataFrame({"kita_kinder": coverage.set_index("gebiet_rs")["kinder"].astype(float)})
    if indicators is not None:
        figures = figures.join(indicators.set_index("gebiet_rs")[[k for k in WEIGHTS if k != "kita_kinder"]])
    total_weight = sum(weights.values())
    table = pd.DataFrame({"gebiet_rs": figures.index, "gebiet": coverage.set_index("gebiet_rs")["gebiet"]})
    table["bedarfsanteil"] = 0.0
    for key, weight in weights.items():
        if weight == 0:
            continue
        column = figures[key].astype(float)
        if column.sum() <= 0:
            raise PlanningError(text("plan_weight_all_zero", lang, kennzahl=weight_title(key, lang)))
        table[key] = column / column.sum()
        table["bedarfsanteil"] += weight / total_weight * table[key]
    return table.reset_index(drop=True)


def need_table(breakdown: pd.DataFrame, lang: str = "de") -> pd.DataFrame:
    """need_breakdown() for people: titles in ``lang``, shares in per cent (one decimal)."""
    shares = [key for key in WEIGHTS if key in breakdown.columns]
    table = breakdown[["gebiet_rs", "gebiet", *shares, "bedarfsanteil"]].copy()
    for column in [*shares, "bedarfsanteil"]:
        table[column] = (table[column] * 100).round(1)
    names = {key: text("need_share_of", lang, kennzahl=weight_title(key, lang)) for key in shares}
    return table.rename(columns={**names, "gebiet": text("col_gebiet", lang),
                                 "bedarfsanteil": text("col_need_share", lang)})


def need_shares(
    weights: dict[str, float], coverage: pd.DataFrame, indicators: pd.DataFrame | None, lang: str = "de"
) -> dict[str, float]:
    """Need share per area (sums to 1)."""
    return need_breakdown(weights, coverage, indicators, lang).set_index("gebiet_rs")["bedarfsanteil"].to_dict()


def ranking(
    coverage: pd.DataFrame, rule: str, max_children_per_fte: float, lang: str = "de",
    need: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Areas ordered by need under ``rule`` (the order the first planning step would see), with reasons;
    titles in ``lang``."""
    areas = [_Area(r.gebiet_rs, r.gebiet, int(r.kinder), float(r.vze), (need or {}).get(r.gebiet_rs, 0.0))
             for r in coverage.itertuples()]
    if rule not in RULES:
        raise _unknown_rule(rule, lang)
    return pd.DataFrame(
        [{text("col_rang", lang): i, "gebiet_rs": a.gebiet_rs, text("col_gebiet", lang): a.gebiet,
          text("col_begruendung", lang): _reason(rule, a, max_children_per_fte, False, lang)}
         for i, a in enumerate(_ranked(areas, rule, max_children_per_fte), start=1)]
    )


def allocate(
    inputs: PlanInputs,
    coverage: pd.DataFrame,
    max_children_per_fte: float,
    max_new_fte: float,
    indicators: pd.DataFrame | None = None,
    lang: str = "de",
) -> tuple[list[Step], list[str]]:
    """The steps of a plan on top of ``coverage`` (a coverage_at() result), and notes for the user (in ``lang``).

    Raises PlanningError for unusable inputs (checked before any step is made)."""
    step_fte = check_step(inputs.step, lang)
    n_fte = check_n(inputs.n_fte, max_new_fte, step_fte, lang)
    if inputs.rule not in RULES:
        raise _unknown_rule(inputs.rule, lang)
    areas = {
        r.gebiet_rs: _Area(r.gebiet_rs, r.gebiet, int(r.kinder), float(r.vze)) for r in coverage.itertuples()
    }
    if inputs.rule == "bedarfsindex":
        for key, share in need_shares(check_weights(dict(inputs.weights), lang), coverage, indicators, lang).items():
            areas[key].need_share = share
    n_steps = round(n_fte / step_fte)
    overrides = dict(inputs.overrides)
    unknown = sorted(v for v in overrides.values() if v not in areas)
    if unknown:
        raise PlanningError(text("plan_override_unknown_area", lang, gebiete=", ".join(unknown)))
    notes = [text("plan_override_dropped", lang, nr=nr, n=n_steps) for nr in sorted(overrides) if not 1 <= nr <= n_steps]
    steps: list[Step] = []
    for nr in range(1, n_steps + 1):
        best = _ranked(list(areas.values()), inputs.rule, max_children_per_fte)[0]
        chosen = areas[overrides[nr]] if nr in overrides else best
        amount = step_text(step_fte, lang)
        if chosen is not best:
            sentence = text(
                "step_by_hand", lang, vze=amount, gebiet=chosen.gebiet,
                grund=_reason(inputs.rule, chosen, max_children_per_fte, False, lang), regel_gebiet=best.gebiet,
                regel_grund=_reason(inputs.rule, best, max_children_per_fte, False, lang))
        else:
            sentence = text("step_by_rule", lang, vze=amount, gebiet=chosen.gebiet,
                            grund=_reason(inputs.rule, chosen, max_children_per_fte, True, lang))
        steps.append(Step(nr, chosen.gebiet_rs, chosen.gebiet, step_fte, chosen.vze, nr in overrides, sentence))
        chosen.vze = round(chosen.vze + step_fte, 2)
    return steps, notes


# --- from steps to positions and the after-coverage -------------------------------------------


def planned_positions(steps: list[Step], existing: pd.DataFrame, beginn: dt.date) -> pd.DataFrame:
    """The plan as new positions (fachkraefte schema): per area, full positions of 1.0 VZÄ and a rest.

    IDs continue the area's numbering (F + digits 6–9 of the area key + number) and never clash with
    ``existing``; titles say "(geplant)" so nobody mistakes them for people."""
    added: dict[str, tuple[str, float]] = {}
    for step in steps:
        name, fte = added.get(step.gebiet_rs, (step.gebiet, 0.0))
        added[step.gebiet_rs] = (name, round(fte + step.vze, 2))
    taken = set(existing["id"])
    rows = []
    for gebiet_rs, (name, fte) in sorted(added.items()):
        in_area = int((existing["gebiet_rs"] == gebiet_rs).sum())
        number_in_area = 0
        while fte > 1e-9:
            chunk = min(MAX_POSITION_FTE, fte)
            fte = round(fte - chunk, 2)
            number_in_area += 1
            stelle = in_area + number_in_area
            seq = stelle
            while f"F{gebiet_rs[5:]}{seq:02d}" in taken:
                seq += 1
            position_id = f"F{gebiet_rs[5:]}{seq:02d}"
            taken.add(position_id)
            rows.append({
                "id": position_id, "bezeichnung": text("planned_position_title", "de", gebiet=name, nr=stelle),
                "vze": chunk, "telefon": "", "email": "", "gebiet_rs": gebiet_rs, "kitas": "",
                "beginn": beginn, "ende": None, "demo": False, "besetzt": False,
            })
    return pd.DataFrame(rows, columns=list(existing.columns) if len(existing.columns) else None)


def make_plan(
    inputs: PlanInputs,
    areas: pd.DataFrame,
    kitas: pd.DataFrame,
    positions: pd.DataFrame,
    kennzahlen: pd.DataFrame,
    gemeinden: pd.DataFrame,
    max_children_per_fte: float,
    max_new_fte: float,
    lang: str = "de",
) -> PlanResult:
    """The whole plan: steps, before/after coverage at ``inputs.beginn``, change and new positions; reasons,
    notes and messages in ``lang``."""
    starts_later = pd.Series([b >= inputs.beginn for b in positions["beginn"]], index=positions.index, dtype=bool)
    replaced = positions[starts_later] if inputs.replace_new else positions.iloc[0:0]
    base = positions[~starts_later] if inputs.replace_new else positions
    before = coverage_at(inputs.beginn, areas, kitas, base, max_children_per_fte)
    indicators = None
    if inputs.rule == "bedarfsindex":
        weights = check_weights(dict(inputs.weights), lang)
        missing = missing_values(kennzahlen, gemeinden)
        messages = [missing_message(k, missing, lang) for k, w in weights.items() if w > 0 and k != "kita_kinder"]
        messages = [m for m in messages if m]
        if messages:
            raise PlanningError(" ".join(messages) + " " + text("plan_or_weight_zero", lang), [])
        indicators = area_indicators(kennzahlen, gemeinden, areas, kitas)
    steps, notes = allocate(inputs, before, max_children_per_fte, max_new_fte, indicators, lang)
    need = need_breakdown(dict(inputs.weights), before, indicators, lang) if inputs.rule == "bedarfsindex" else None
    planned = planned_positions(steps, positions, inputs.beginn)  # ids unique against all positions
    combined = pd.concat([base, planned], ignore_index=True) if len(planned) else base
    after = coverage_at(inputs.beginn, areas, kitas, combined, max_children_per_fte)
    notes += outcome_notes(before, steps, max_children_per_fte, lang)
    return PlanResult(inputs, steps, before, after, change_between(before, after), planned, notes, need, replaced, base,
                      lang)


def outcome_notes(before: pd.DataFrame, steps: list[Step], max_children_per_fte: float, lang: str = "de") -> list[str]:
    """From which step on every area is "versorgt", or how many are not even after the plan."""
    fte = dict(zip(before["gebiet_rs"], before["vze"]))
    children = dict(zip(before["gebiet_rs"], before["kinder"]))

    def not_covered() -> int:
        return sum(
            classify(fte[k], children[k] / fte[k] if fte[k] else math.inf, max_children_per_fte) != COVERED
            for k in fte
        )

    if not steps or not_covered() == 0:
        return []
    for step in steps:
        fte[step.gebiet_rs] += step.vze
        if not_covered() == 0:
            return [text("plan_all_covered_from", lang, nr=step.nr)]
    return [text("plan_still_not_covered", lang, n=not_covered())]


def _rounded(value: float) -> float | None:
    """Children per VZÄ for tables: one decimal; no staff (infinite) stays empty."""
    return round(value, 1) if math.isfinite(value) else None


def plan_change_table(result: PlanResult, lang: str | None = None) -> pd.DataFrame:
    """Per area: VZÄ before, planned, after; Kita children per VZÄ and class before and after (titles in
    ``lang``, the plan's language by default)."""
    lang = lang or result.lang
    added = result.added_per_area()
    rows = []
    for b, a in zip(result.before.itertuples(), result.after.itertuples()):
        rows.append((b.gebiet_rs, b.gebiet, b.vze, added.get(b.gebiet_rs, 0.0), a.vze, _rounded(b.kinder_pro_vze),
                     _rounded(a.kinder_pro_vze), CLASSES[b.klasse].title(lang), CLASSES[a.klasse].title(lang)))
    titles = ["gebiet_rs", *(text(i, lang) for i in (
        N_("col_gebiet"), N_("col_vze_vorher"), N_("col_vze_geplant"), N_("col_vze_nachher"),
        N_("col_kinder_pro_vze_vorher"), N_("col_kinder_pro_vze_nachher"), N_("col_klasse_label_vorher"),
        N_("col_klasse_label_nachher")))]
    return pd.DataFrame(rows, columns=titles)


def compare_plans(first: PlanResult, second: PlanResult, first_name: str, second_name: str,
                  lang: str = "de") -> pd.DataFrame:
    """Two plans side by side per area: planned VZÄ, children per VZÄ and class after each; the columns name
    the plans (e.g. the scenarios' names)."""
    a, b = first.added_per_area(), second.added_per_area()

    def of(key: str, name: str) -> str:
        return text("compare_column", lang, was=text(key, lang), plan=name)  # keys: N_ below

    rows = []
    for x, y in zip(first.after.itertuples(), second.after.itertuples()):
        rows.append({
            "gebiet_rs": x.gebiet_rs, text("col_gebiet", lang): x.gebiet,
            of(N_("col_vze_geplant"), first_name): a.get(x.gebiet_rs, 0.0),
            of("col_vze_geplant", second_name): b.get(x.gebiet_rs, 0.0),
            text("compare_difference", lang, erster=first_name, zweiter=second_name):
                round(b.get(x.gebiet_rs, 0.0) - a.get(x.gebiet_rs, 0.0), 2),
            of("col_kinder_pro_vze", first_name): _rounded(x.kinder_pro_vze),
            of("col_kinder_pro_vze", second_name): _rounded(y.kinder_pro_vze),
            of("col_klasse_label", first_name): CLASSES[x.klasse].title(lang),
            of("col_klasse_label", second_name): CLASSES[y.klasse].title(lang),
        })
    return pd.DataFrame(rows)


def summary_lines(result: PlanResult, lang: str | None = None) -> list[str]:
    """The plan's inputs in sentences in ``lang`` (page, CSV/HTML exports)."""
    lang = lang or result.lang
    inputs = result.inputs
    lines = [text("plan_summary", lang, n=step_text(inputs.n_fte, lang), schritte=len(result.steps),
                  schritt=step_text(inputs.step, lang), beginn=date(inputs.beginn, lang),
                  regel=RULES[inputs.rule].title(lang))]
    if inputs.replace_new:
        lines.append(text("plan_summary_replace", lang, beginn=date(inputs.beginn, lang)))
    if inputs.rule == "bedarfsindex":
        lines.append(text("plan_summary_weights", lang, gewichte="; ".join(
            f"{weight_title(k, lang)} {number(v, 1, lang)}" for k, v in inputs.weights)))
    names = dict(zip(result.before["gebiet_rs"], result.before["gebiet"]))
    manual = [text("override_item", lang, nr=nr, gebiet=names.get(key, key))
              for nr, key in inputs.overrides if nr <= len(result.steps)]
    if manual:
        lines.append(text("plan_summary_manual", lang, liste=", ".join(manual)))
    return lines


def actual_vs_plan(result: PlanResult, lang: str | None = None) -> pd.DataFrame:
    """With ``replace_new``: per area the VZÄ that really start on or after the start date and the VZÄ
    the rule gives, and the difference (plan minus reality)."""
    lang = lang or result.lang
    replaced = result.replaced if result.replaced is not None else pd.DataFrame(columns=["gebiet_rs", "vze"])
    actual = replaced.groupby("gebiet_rs")["vze"].sum().to_dict()
    added = result.added_per_area()
    rows = [(r.gebiet_rs, r.gebiet, round(actual.get(r.gebiet_rs, 0.0), 2), added.get(r.gebiet_rs, 0.0),
             round(added.get(r.gebiet_rs, 0.0) - actual.get(r.gebiet_rs, 0.0), 2))
            for r in result.before.itertuples()]
    titles = ["gebiet_rs", *(text(i, lang) for i in (N_("col_gebiet"), N_("col_vze_actual"), N_("col_vze_rule"),
                                                       N_("col_rule_minus_actual")))]
    return pd.DataFrame(rows, columns=titles)
