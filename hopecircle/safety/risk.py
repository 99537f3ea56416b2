"""Risk screening: curated phrases plus context rules, all read from `data/risk_*.yaml`.

It flags language that MAY signal risk (suicide, self-harm, overdose, harm to others) so the
facilitator sees it privately. It does not diagnose and it will miss things; its figures on a
labeled set are in docs/safety.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from hopecircle.safety.normalize import normalize

DATA_DIR = Path(__file__).parent / "data"
CATEGORIES: tuple[str, ...] = ("suicide", "self_harm", "overdose", "harm_others")
_NEGATION_WINDOW_WORDS = 5
_SENTENCE = re.compile(r"[^.!?;\n]+")
_CLAUSE_BREAK = re.compile(r",|\b(?:but|pero|sino|and now|y ahora|now|ahora|today|hoy|though|aunque)\b")


@dataclass(frozen=True)
class Rule:
    category: str
    pattern: re.Pattern[str]
    negatable: bool
    requires: re.Pattern[str] | None


@dataclass(frozen=True)
class Proximity:
    core: re.Pattern[str]
    cue: re.Pattern[str]
    window: int


@dataclass(frozen=True)
class Lexicon:
    rules: tuple[Rule, ...]
    proximity: tuple[Proximity, ...]
    idioms: re.Pattern[str]
    negation: re.Pattern[str]
    first_person: re.Pattern[str]
    third_party: re.Pattern[str]
    past: re.Pattern[str]
    present: re.Pattern[str]
    vocabulary: tuple[str, ...]


@dataclass(frozen=True)
class RiskHit:
    """One phrase that may signal risk: its category and the words that matched."""

    category: str
    phrase: str


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})\b")


def _alternatives(patterns: list[str]) -> re.Pattern[str]:
    return _words("|".join(f"(?:{p})" for p in patterns))


@cache
def lexicon() -> Lexicon:
    """Every language's lists merged: people mix languages, so all rules apply to every text."""
    rules: list[Rule] = []
    lists: dict[str, list[str]] = {key: [] for key in ("idioms", "negations", "third_party", "past", "present")}
    first_person: list[str] = []
    vocabulary: list[str] = []
    proximity: list[Proximity] = []
    for path in sorted(DATA_DIR.glob("risk_*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for category, entries in data["categories"].items():
            if category not in CATEGORIES:
                raise ValueError(f"{path.name}: unknown category {category!r}")
            for entry in entries:
                rules.append(
                    Rule(
                        category=category,
                        pattern=_words(entry["pattern"]),
                        negatable=bool(entry.get("negatable", False)),
                        requires=_words(entry["requires"]) if entry.get("requires") else None,
                    )
                )
        for key in lists:
            lists[key].extend(data.get(key, []))
        first_person.append(data["first_person"])
        if "proximity" in data:
            near = data["proximity"]
            proximity.append(Proximity(_alternatives(near["core"]), _alternatives(near["cues"]), int(near["window"])))
        vocabulary.extend(data.get("vocabulary", []))
    return Lexicon(
        rules=tuple(rules),
        proximity=tuple(proximity),
        idioms=_alternatives(lists["idioms"]),
        negation=_alternatives(lists["negations"]),
        first_person=_alternatives(first_person),
        third_party=_alternatives(lists["third_party"]),
        past=_alternatives(lists["past"]),
        present=_alternatives(lists["present"]),
        vocabulary=tuple(vocabulary),
    )


def prepare(text: str) -> str:
    """Normalize and blank out idioms, keeping positions stable."""
    lex = lexicon()
    normalized = normalize(text, lex.vocabulary)
    return lex.idioms.sub(lambda m: " " * len(m.group(0)), normalized)


def find_risks(text: str, others: tuple[str, ...] = ()) -> tuple[RiskHit, ...]:
    """Phrases in `text` that may signal risk, after the context rules; `others` are extra names of third parties."""
    lex = lexicon()
    prepared = prepare(text)
    # Names are folded like the text ("Tomás" must match "tomas").
    names = [normalize(name) for name in others if name.strip()]
    extra_people = _words("|".join(re.escape(name) for name in names)) if names else None
    hits: list[RiskHit] = []
    for sentence_match in _SENTENCE.finditer(prepared):
        sentence = sentence_match.group(0)
        for rule in lex.rules:
            for match in rule.pattern.finditer(sentence):
                if rule.requires is not None and not rule.requires.search(sentence):
                    continue
                if _set_aside(lex, rule, sentence, match, extra_people):
                    continue
                hits.append(RiskHit(rule.category, match.group(0).strip()))
        if not hits:
            hits.extend(_near_hits(lex, sentence, extra_people))
    return tuple(dict.fromkeys(hits))


_NEAR_RULE = Rule(category="suicide", pattern=re.compile(""), negatable=True, requires=None)
_HARM_OTHERS = re.compile(
    r"\b(?:kill|hurt|beat|shoot|stab|strangle|choke|attack|smash|matar|lastimar|golpear|herir|partir|hacer dano)\b(?! my ?self)"
)


def _near_hits(lex: Lexicon, sentence: str, extra_people: re.Pattern[str] | None) -> list[RiskHit]:
    """A risk word and an intent/wish word close together, in a sentence about the writer."""
    if not lex.first_person.search(sentence):
        return []
    found = []
    for near in lex.proximity:
        for core in near.core.finditer(sentence):
            words_before = sentence[: core.start()].split()
            words_after = sentence[core.end() :].split()
            nearby = " ".join([*words_before[-near.window :], "|", *words_after[: near.window]])
            if not near.cue.search(nearby):
                continue
            if _set_aside(lex, _NEAR_RULE, sentence, core, extra_people):
                continue
            category = "harm_others" if _HARM_OTHERS.search(core.group(0)) else _core_category(core.group(0))
            found.append(RiskHit(category, core.group(0).strip()))
    return found


def _core_category(word: str) -> str:
    if re.search(r"overdos|sobredosis|\bod\b|fent|pills|pastillas|high|usar|consumir|meterme", word):
        return "overdose"
    if (
        re.search(
            r"cut|harm|burn|hit|punish|scratch|punch|bleed|blade|razor|cortar|lastimar|quemar|golpear|pegar|rasgun|navaja|cuchilla|sangr",
            word,
        )
        and "suicid" not in word
    ):
        return "self_harm"
    return "suicide"


def _clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    clause_start, clause_end = 0, len(sentence)
    for brk in _CLAUSE_BREAK.finditer(sentence):
        if brk.end() <= start:
            clause_start = brk.end()
        elif brk.start() >= end:
            clause_end = brk.start()
            break
    return clause_start, clause_end


def _set_aside(
    lex: Lexicon, rule: Rule, sentence: str, match: re.Match[str], extra_people: re.Pattern[str] | None
) -> bool:
    start, end = match.span()
    clause_start, clause_end = _clause_bounds(sentence, start, end)
    before = sentence[clause_start:start]
    if rule.negatable:
        window = " ".join(before.split()[-_NEGATION_WINDOW_WORDS:])
        if lex.negation.search(window):
            return True
    # "my family would be better off without me" is about the writer, whoever the subject is.
    if not lex.first_person.search(match.group(0)) and _about_someone_else(lex, before, extra_people):
        return True
    clause = sentence[clause_start:clause_end]
    return bool(lex.past.search(clause)) and not lex.present.search(sentence)


def _about_someone_else(lex: Lexicon, before: str, extra_people: re.Pattern[str] | None) -> bool:
    last_other = -1
    for pattern in (lex.third_party, extra_people):
        if pattern is None:
            continue
        for found in pattern.finditer(before):
            last_other = max(last_other, found.end())
    if last_other < 0:
        return False
    return not lex.first_person.search(before[last_other:])
