"""Planning new Kita-Sozialarbeit staff: where do N new VZÄ go? Transparent and reproducible.

N new VZÄ are handed out in steps of a chosen size (0,25, 0,5 or 1 VZÄ; default 0,5), one step at a time, each to the area with the largest
need *after* the previous steps. Three rules say what "need" means (``RULES``); each step is
explained in one German sentence made here, so the page, the exports and the tests show the same
text. The coordinator may force any step to an area (override); later steps are recomputed.
Same inputs, same plan: ties are broken by a stated order (``TIE_BREAK``).

The planned steps become positions (``planned_positions``) that start on a chosen date; the
"after" coverage is the ordinary coverage rule (geo/coverage.py) with those positions added.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from geo.coverage import CLASSES, COVERED, NONE, UNDER, change_between, classify, coverage_at
from geo.errors import DataError
from geo.indicators import area_indicators, missing_message, missing_values
from geo.numbers import NumberInputError, parse_number
from geo.text import number

STEP_FTE = 0.5  # the default step
STEP_CHOICES = (0.25, 0.5, 1.0)  # 0,25 lets a plan match real additions such as 3,25 VZÄ in summer 2024
MAX_POSITION_FTE = 1.0  # one planned position holds at most one full-time equivalent


class PlanningError(DataError):
    """The planning inputs are not usable (German message); nothing was computed or written."""


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    explanation: str  # may contain {schwelle}


RULES = {
    "ausgleich": Rule(
        "ausgleich",
        "Kita-Kinder je VZÄ angleichen",
        "Jeder Schritt geht an das Gebiet mit den meisten Kita-Kindern je VZÄ nach den vorigen Schritten; "
        "ein Gebiet ohne Stelle steht dabei immer vorn.",
    ),
    "unversorgte_zuerst": Rule(
        "unversorgte_zuerst",
        "Unversorgte Gebiete zuerst",
        "Erst Gebiete ohne Stelle, dann unterversorgte Gebiete nach der größten Lücke bis zur Schwelle von "
        "{schwelle} Kita-Kindern je VZÄ (fehlende VZÄ), danach die übrigen nach Kita-Kindern je VZÄ.",
    ),
    "bedarfsindex": Rule(
        "bedarfsindex",
        "Gewichteter Bedarfsindex",
        "Jedes Gebiet hat einen Bedarfsanteil: den gewichteten Mittelwert seiner Anteile am Kreis bei den "
        "Kennzahlen unten. Jeder Schritt geht an das Gebiet mit dem höchsten Bedarfsanteil je VZÄ; ein Gebiet "
        "ohne Stelle steht dabei immer vorn.",
    ),
}
TIE_BREAK = "Bei Gleichstand geht der Schritt an das Gebiet mit mehr Kita-Kindern, dann an den kleineren Gebietsschlüssel."

# Weights of the need index: the area's share of the district total of each of these figures.
WEIGHTS = {
    "kinder_u7": "Kinder unter 7 Jahren",
    "kinder_buergergeld_u7": "Kinder unter 7 in Bürgergeld-Haushalten",
    "kinder_nichtdeutsch_u7": "Kinder unter 7 mit nichtdeutscher Familiensprache",
    "kita_kinder": "Kita-Kinder",
}


def step_text(value: float) -> str:
    """VZÄ in German with as many decimals as needed, at least one: 0,5 · 0,25 · 3,0 · 3,25."""
    return number(value, 2 if abs(round(value, 1) - value) > 1e-9 else 1)


def rule_explanation(rule: str, max_children_per_fte: float) -> str:
    """The rule in German, for the page and the exports (with the tie-break)."""
    return RULES[rule].explanation.format(schwelle=number(max_children_per_fte, 0)) + " " + TIE_BREAK


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

    def staff(self, after: bool) -> pd.DataFrame:
        """The positions behind ``before`` (after=False) or ``after`` (base plus the planned ones)."""
        if not after or self.positions.empty:
            return self.base
        return pd.concat([self.base, self.positions], ignore_index=True)

    def steps_table(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {"Schritt": s.nr, "Gebiet": s.gebiet, "VZÄ": s.vze, "VZÄ vorher": s.vze_vorher,
                 "VZÄ nachher": round(s.vze_vorher + s.vze, 2), "von Hand": s.von_hand, "Begründung": s.begruendung}
                for s in self.steps
            ],
            columns=["Schritt", "Gebiet", "VZÄ", "VZÄ vorher", "VZÄ nachher", "von Hand", "Begründung"],
        )

    def added_per_area(self) -> dict[str, float]:
        added: dict[str, float] = {}
        for step in self.steps:
            added[step.gebiet_rs] = round(added.get(step.gebiet_rs, 0.0) + step.vze, 2)
        return added


# --- validation ---------------------------------------------------------------------------------


def check_step(step) -> float:
    """The step size, or PlanningError if it is not one of STEP_CHOICES."""
    try:
        value = float(step)
    except (TypeError, ValueError):
        value = math.nan
    for choice in STEP_CHOICES:
        if abs(value - choice) < 1e-9:
            return choice
    raise PlanningError(
        f"Schrittweite „{step}“ ist nicht möglich. Möglich: {', '.join(number(c, 2) for c in STEP_CHOICES)} VZÄ."
    )


def check_n(n_fte, max_new_fte: float, step: float = STEP_FTE) -> float:
    """N as float, or PlanningError with a German message (negative, not a multiple of the step, too large).

    Text is read as a German number (``2,5``; ``1.5`` is refused rather than read as 15)."""
    step = check_step(step)
    try:
        value = parse_number(n_fte, "de", "Neue VZÄ") if isinstance(n_fte, str) else float(n_fte)
    except (NumberInputError, TypeError, ValueError) as exc:
        raise PlanningError(f"„{n_fte}“ ist keine Zahl. Bitte die neuen VZÄ als Zahl angeben, z. B. 3,0.") from exc
    if not math.isfinite(value):
        raise PlanningError("Die Zahl der neuen VZÄ muss eine endliche Zahl sein.")
    if value < 0:
        raise PlanningError(f"Die Zahl der neuen VZÄ darf nicht negativ sein (eingegeben: {number(value, 2)}).")
    if value > max_new_fte:
        raise PlanningError(
            f"{number(value, 2)} neue VZÄ sind mehr, als eine Planung verteilen kann (höchstens "
            f"{number(max_new_fte, 1)} VZÄ, einstellbar in kita.toml unter [planung] max_neue_vze)."
        )
    steps = value / step
    if abs(steps - round(steps)) > 1e-9:
        lower, upper = math.floor(steps) * step, math.ceil(steps) * step
        raise PlanningError(
            f"Die neuen VZÄ werden in Schritten von {number(step, 2)} verteilt; {number(value, 2)} ist "
            f"kein Vielfaches davon (z. B. {number(lower, 2)} oder {number(upper, 2)}; oder eine kleinere "
            "Schrittweite wählen)."
        )
    return round(steps) * step


def check_weights(weights: dict[str, float]) -> dict[str, float]:
    unknown = set(weights) - set(WEIGHTS)
    if unknown:
        raise PlanningError(f"Unbekannte Gewichte: {', '.join(sorted(unknown))}.")
    checked = {key: float(weights.get(key, 0.0)) for key in WEIGHTS}
    if any(not math.isfinite(v) or v < 0 for v in checked.values()):
        raise PlanningError("Gewichte dürfen nicht negativ sein.")
    if sum(checked.values()) <= 0:
        raise PlanningError(
            "Die Gewichte ergeben zusammen 0. Mindestens eine Kennzahl braucht ein Gewicht größer als 0."
        )
    return checked


# --- the rules --------------------------------------------------------------------------------


@dataclass
class _Area:
    gebiet_rs: str
    gebiet: str
    kinder: int
    vze: float
    need_share: float = 0.0  # only for the need index


def _priority(rule: str, area: _Area, threshold: float) -> tuple[tuple, str, str]:
    """(sort key: larger = more need; the area's figures in words; why it wins when it is first)."""
    per_fte = area.kinder / area.vze if area.vze > 0 else math.inf
    # Tie-break (TIE_BREAK): more Kita children, then the smaller key (negated characters sort it first).
    tie = (area.kinder, tuple(-ord(c) for c in area.gebiet_rs))
    if area.vze <= 0:
        reason = f"{CLASSES[NONE].label}, {number(area.kinder, 0)} Kita-Kinder"
        if rule == "bedarfsindex":
            reason += f", Bedarfsanteil {number(area.need_share * 100, 1)} %"
        return (math.inf, area.need_share if rule == "bedarfsindex" else 0, *tie), reason, ""
    if rule == "ausgleich":
        return (per_fte, *tie), (
            f"{number(per_fte, 0)} Kita-Kinder je VZÄ bei {number(area.vze, 2)} VZÄ"
        ), "der höchste Wert"
    if rule == "unversorgte_zuerst":
        if classify(area.vze, per_fte, threshold) == UNDER:
            gap = area.kinder / threshold - area.vze
            return (1, gap, *tie), (
                f"{CLASSES[UNDER].label}, es fehlen {number(gap, 2)} VZÄ bis zu {number(threshold, 0)} "
                "Kita-Kindern je VZÄ"
            ), "die größte Lücke"
        return (0, per_fte, *tie), (
            f"{CLASSES[COVERED].label}, {number(per_fte, 0)} Kita-Kinder je VZÄ"
        ), "alle Gebiete sind versorgt, hier ist der Wert am höchsten"
    if rule == "bedarfsindex":
        score = area.need_share / area.vze
        return (score, *tie), (
            f"Bedarfsanteil {number(area.need_share * 100, 1)} % bei {number(area.vze, 2)} VZÄ, "
            f"also {number(score * 100, 1)} % je VZÄ"
        ), "der höchste Wert"
    raise PlanningError(f"Unbekannte Regel „{rule}“. Möglich: {', '.join(RULES)}.")


def _ranked(areas: list[_Area], rule: str, threshold: float) -> list[_Area]:
    return sorted(areas, key=lambda a: _priority(rule, a, threshold)[0], reverse=True)


def _reason(rule: str, area: _Area, threshold: float, first: bool) -> str:
    _, figures, why = _priority(rule, area, threshold)
    return f"{figures}, {why}" if first and why else figures


def need_breakdown(
    weights: dict[str, float], coverage: pd.DataFrame, indicators: pd.DataFrame | None
) -> pd.DataFrame:
    """Per area: its share of the district total of every weighted figure, and the need share
    (the weighted mean of those shares; the need shares of all areas sum to 1)."""
    figures = pd.DataFrame({"kita_kinder": coverage.set_index("gebiet_rs")["kinder"].astype(float)})
    if indicators is not None:
        figures = figures.join(indicators.set_index("gebiet_rs")[[k for k in WEIGHTS if k != "kita_kinder"]])
    total_weight = sum(weights.values())
    table = pd.DataFrame({"gebiet_rs": figures.index, "Gebiet": coverage.set_index("gebiet_rs")["gebiet"]})
    table["bedarfsanteil"] = 0.0
    for key, weight in weights.items():
        if weight == 0:
            continue
        column = figures[key].astype(float)
        if column.sum() <= 0:
            raise PlanningError(f"Kennzahl „{WEIGHTS[key]}“ ist im ganzen Kreis 0; ihr Gewicht bitte auf 0 setzen.")
        table[key] = column / column.sum()
        table["bedarfsanteil"] += weight / total_weight * table[key]
    return table.reset_index(drop=True)


def need_table(breakdown: pd.DataFrame) -> pd.DataFrame:
    """need_breakdown() for people: German headers, shares in per cent (one decimal)."""
    names = {key: f"Anteil {label} (%)" for key, label in WEIGHTS.items()}
    table = breakdown.rename(columns={**names, "bedarfsanteil": "Bedarfsanteil (%)"})
    for column in [c for c in table.columns if c.endswith("(%)")]:
        table[column] = (table[column] * 100).round(1)
    return table[["gebiet_rs", "Gebiet", *[c for c in table.columns if c.startswith("Anteil")], "Bedarfsanteil (%)"]]


def need_shares(
    weights: dict[str, float], coverage: pd.DataFrame, indicators: pd.DataFrame | None
) -> dict[str, float]:
    """Need share per area (sums to 1)."""
    return need_breakdown(weights, coverage, indicators).set_index("gebiet_rs")["bedarfsanteil"].to_dict()


def ranking(
    coverage: pd.DataFrame, rule: str, max_children_per_fte: float, need: dict[str, float] | None = None
) -> pd.DataFrame:
    """Areas ordered by need under ``rule`` (the order the first planning step would see), with reasons."""
    areas = [_Area(r.gebiet_rs, r.gebiet, int(r.kinder), float(r.vze), (need or {}).get(r.gebiet_rs, 0.0))
             for r in coverage.itertuples()]
    if rule not in RULES:
        raise PlanningError(f"Unbekannte Regel „{rule}“. Möglich: {', '.join(RULES)}.")
    return pd.DataFrame(
        [{"Rang": i, "gebiet_rs": a.gebiet_rs, "Gebiet": a.gebiet,
          "Begründung": _reason(rule, a, max_children_per_fte, first=False)}
         for i, a in enumerate(_ranked(areas, rule, max_children_per_fte), start=1)]
    )


def allocate(
    inputs: PlanInputs,
    coverage: pd.DataFrame,
    max_children_per_fte: float,
    max_new_fte: float,
    indicators: pd.DataFrame | None = None,
) -> tuple[list[Step], list[str]]:
    """The steps of a plan on top of ``coverage`` (a coverage_at() result), and notes for the user.

    Raises PlanningError for unusable inputs (checked before any step is made)."""
    step_fte = check_step(inputs.step)
    n_fte = check_n(inputs.n_fte, max_new_fte, step_fte)
    if inputs.rule not in RULES:
        raise PlanningError(f"Unbekannte Regel „{inputs.rule}“. Möglich: {', '.join(RULES)}.")
    areas = {
        r.gebiet_rs: _Area(r.gebiet_rs, r.gebiet, int(r.kinder), float(r.vze)) for r in coverage.itertuples()
    }
    if inputs.rule == "bedarfsindex":
        for key, share in need_shares(check_weights(dict(inputs.weights)), coverage, indicators).items():
            areas[key].need_share = share
    n_steps = round(n_fte / step_fte)
    overrides = dict(inputs.overrides)
    unknown = sorted(v for v in overrides.values() if v not in areas)
    if unknown:
        raise PlanningError(f"Überschreibung mit unbekanntem Gebiet: {', '.join(unknown)}.")
    notes = [
        f"Die Überschreibung für Schritt {nr} entfällt: der Plan hat nur {n_steps} Schritt(e)."
        for nr in sorted(overrides) if not 1 <= nr <= n_steps
    ]
    steps: list[Step] = []
    for nr in range(1, n_steps + 1):
        best = _ranked(list(areas.values()), inputs.rule, max_children_per_fte)[0]
        chosen = areas[overrides[nr]] if nr in overrides else best
        amount = step_text(step_fte)
        if chosen is not best:
            sentence = (
                f"{amount} VZÄ → {chosen.gebiet}: von Hand festgelegt "
                f"({_reason(inputs.rule, chosen, max_children_per_fte, False)}; nach der Regel wäre es "
                f"{best.gebiet} gewesen: {_reason(inputs.rule, best, max_children_per_fte, False)})."
            )
        else:
            sentence = f"{amount} VZÄ → {chosen.gebiet}: {_reason(inputs.rule, chosen, max_children_per_fte, True)}."
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
                "id": position_id, "bezeichnung": f"Kita-Sozialarbeit {name}, Stelle {stelle} (geplant)",
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
) -> PlanResult:
    """The whole plan: steps, before/after coverage at ``inputs.beginn``, change and new positions."""
    starts_later = pd.Series([b >= inputs.beginn for b in positions["beginn"]], index=positions.index, dtype=bool)
    replaced = positions[starts_later] if inputs.replace_new else positions.iloc[0:0]
    base = positions[~starts_later] if inputs.replace_new else positions
    before = coverage_at(inputs.beginn, areas, kitas, base, max_children_per_fte)
    indicators = None
    if inputs.rule == "bedarfsindex":
        weights = check_weights(dict(inputs.weights))
        missing = missing_values(kennzahlen, gemeinden)
        messages = [missing_message(k, missing) for k, w in weights.items() if w > 0 and k != "kita_kinder"]
        messages = [m for m in messages if m]
        if messages:
            raise PlanningError(
                " ".join(messages) + " Oder das Gewicht dieser Kennzahl auf 0 setzen.", []
            )
        indicators = area_indicators(kennzahlen, gemeinden, areas, kitas)
    steps, notes = allocate(inputs, before, max_children_per_fte, max_new_fte, indicators)
    need = need_breakdown(dict(inputs.weights), before, indicators) if inputs.rule == "bedarfsindex" else None
    planned = planned_positions(steps, positions, inputs.beginn)  # ids unique against all positions
    combined = pd.concat([base, planned], ignore_index=True) if len(planned) else base
    after = coverage_at(inputs.beginn, areas, kitas, combined, max_children_per_fte)
    notes += outcome_notes(before, steps, max_children_per_fte)
    return PlanResult(inputs, steps, before, after, change_between(before, after), planned, notes, need, replaced, base)


def outcome_notes(before: pd.DataFrame, steps: list[Step], max_children_per_fte: float) -> list[str]:
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
            return [f"Ab Schritt {step.nr} sind alle Gebiete versorgt; weitere Schritte senken die Kinder je VZÄ."]
    return [f"Auch nach dem Plan sind {not_covered()} Gebiet(e) nicht versorgt."]


def _rounded(value: float) -> float | None:
    """Children per VZÄ for tables: one decimal; no staff (infinite) stays empty."""
    return round(value, 1) if math.isfinite(value) else None


def plan_change_table(result: PlanResult) -> pd.DataFrame:
    """Per area: VZÄ before, planned, after; Kita children per VZÄ and class before and after."""
    added = result.added_per_area()
    rows = []
    for b, a in zip(result.before.itertuples(), result.after.itertuples()):
        rows.append({
            "gebiet_rs": b.gebiet_rs, "Gebiet": b.gebiet, "VZÄ vorher": b.vze, "VZÄ geplant": added.get(b.gebiet_rs, 0.0),
            "VZÄ nachher": a.vze, "Kinder je VZÄ vorher": _rounded(b.kinder_pro_vze),
            "Kinder je VZÄ nachher": _rounded(a.kinder_pro_vze),
            "Versorgung vorher": b.klasse_label, "Versorgung nachher": a.klasse_label,
        })
    return pd.DataFrame(rows)


def compare_plans(first: PlanResult, second: PlanResult, first_name: str, second_name: str) -> pd.DataFrame:
    """Two plans side by side per area: planned VZÄ, children per VZÄ and class after each."""
    a, b = first.added_per_area(), second.added_per_area()
    rows = []
    for x, y in zip(first.after.itertuples(), second.after.itertuples()):
        rows.append({
            "gebiet_rs": x.gebiet_rs, "Gebiet": x.gebiet,
            f"VZÄ geplant – {first_name}": a.get(x.gebiet_rs, 0.0),
            f"VZÄ geplant – {second_name}": b.get(x.gebiet_rs, 0.0),
            "Unterschied (VZÄ)": round(b.get(x.gebiet_rs, 0.0) - a.get(x.gebiet_rs, 0.0), 2),
            f"Kinder je VZÄ – {first_name}": _rounded(x.kinder_pro_vze),
            f"Kinder je VZÄ – {second_name}": _rounded(y.kinder_pro_vze),
            f"Versorgung – {first_name}": x.klasse_label, f"Versorgung – {second_name}": y.klasse_label,
        })
    return pd.DataFrame(rows)


def summary_lines(result: PlanResult) -> list[str]:
    """The plan's inputs in German sentences (page, CSV/HTML exports)."""
    inputs = result.inputs
    lines = [
        f"Neue VZÄ: {step_text(inputs.n_fte)} in {len(result.steps)} Schritt(en) zu {step_text(inputs.step)} VZÄ; "
        f"Beginn der neuen Stellen: {inputs.beginn:%d.%m.%Y}. Regel: {RULES[inputs.rule].label}."
    ]
    if inputs.replace_new:
        lines.append(
            f"Vergleich: Stellen, die ab dem {inputs.beginn:%d.%m.%Y} beginnen, sind nicht mitgezählt "
            "(wohin hätte die Regel sie gegeben?); dieser Plan kann nicht übernommen werden."
        )
    if inputs.rule == "bedarfsindex":
        lines.append("Gewichte: " + "; ".join(f"{WEIGHTS[k]} {number(v, 1)}" for k, v in inputs.weights))
    names = dict(zip(result.before["gebiet_rs"], result.before["gebiet"]))
    manual = [f"Schritt {nr} → {names.get(key, key)}" for nr, key in inputs.overrides if nr <= len(result.steps)]
    if manual:
        lines.append("Von Hand festgelegt: " + ", ".join(manual) + ".")
    return lines


def actual_vs_plan(result: PlanResult) -> pd.DataFrame:
    """With ``replace_new``: per area the VZÄ that really start on or after the start date and the VZÄ
    the rule gives, and the difference (plan minus reality)."""
    replaced = result.replaced if result.replaced is not None else pd.DataFrame(columns=["gebiet_rs", "vze"])
    actual = replaced.groupby("gebiet_rs")["vze"].sum().to_dict()
    added = result.added_per_area()
    rows = [
        {"gebiet_rs": r.gebiet_rs, "Gebiet": r.gebiet, "VZÄ tatsächlich neu": round(actual.get(r.gebiet_rs, 0.0), 2),
         "VZÄ nach der Regel": added.get(r.gebiet_rs, 0.0),
         "Unterschied (Regel − tatsächlich)": round(added.get(r.gebiet_rs, 0.0) - actual.get(r.gebiet_rs, 0.0), 2)}
        for r in result.before.itertuples()
    ]
    return pd.DataFrame(rows)
