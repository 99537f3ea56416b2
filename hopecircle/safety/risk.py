"""Risk screening in layers, all lists read from `data/risk_*.yaml`.

1. Curated phrases and a proximity rule (a risk word near an intent or wish word).
2. Means, plan and timing signals combined in one sentence ("pills saved up" + "make it stop").
3. The classifier (classifier.py), for what no rule caught: a trained linear layer over the
   sentence vector (semantic.py) and the context signals of the rules (first person, past,
   negation, someone else, live death, means, farewell and time words). No risk word is needed.
   Its flag names the live signal words and the risk exemplar the text reads most like.
The rules pass through the context rules (negation, past, someone else, idioms); the classifier
weighs the same signals, learned from labelled text. Every hit carries the words that explain it
to the facilitator. The text is read as typed and,
when a right-to-left override reverses it on screen, as displayed.

It flags language that MAY signal risk (suicide, self-harm, overdose, harm to others) so the
facilitator sees it privately. It does not diagnose and it will miss things; its figures on
labelled sets are in docs/safety.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from hopecircle.safety import classifier, semantic
from hopecircle.safety.normalize import display_order, normalize

DATA_DIR = Path(__file__).parent / "data"
CATEGORIES: tuple[str, ...] = ("suicide", "self_harm", "overdose", "harm_others")
_NEGATION_WINDOW_WORDS = 5
# The classifier learned from sentences of three words and more. On one or two words (a check-in
# word: "calm", "at peace") its answer is a guess from the word alone, so there it flags only
# with a live signal word to name ("end it", "kill him", "done living").
CLASSIFIER_MIN_WORDS = 3
_WORD = re.compile(r"\w+")
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
class Signals:
    means: re.Pattern[str]
    farewell: re.Pattern[str]
    timing: re.Pattern[str]
    ending: re.Pattern[str]
    intent: re.Pattern[str]


@dataclass(frozen=True)
class Lexicon:
    rules: tuple[Rule, ...]
    signals: Signals
    dark: re.Pattern[str]
    bright: re.Pattern[str]
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
    """One phrase that may signal risk: its category, the words that matched, and what found it.

    `source` "rule": a phrase or signal rule matched (an alert for the facilitator); "model": only
    the classifier found it (a caution: the words are kept off the projector for a human to read).
    """

    category: str
    phrase: str
    source: str = "rule"


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})\b")


def _alternatives(patterns: list[str]) -> re.Pattern[str]:
    return _words("|".join(f"(?:{p})" for p in patterns))


@cache
def lexicon() -> Lexicon:
    """Every language's lists merged: people mix languages, so all rules apply to every text."""
    rules: list[Rule] = []
    lists: dict[str, list[str]] = {key: [] for key in ("idioms", "negations", "third_party", "past", "present")}
    signals: dict[str, list[str]] = {key: [] for key in ("means", "farewell", "timing", "ending", "intent")}
    concepts: dict[str, list[str]] = {"dark": [], "bright": []}
    spelled_words: set[str] = set()
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
        for key, patterns in data.get("signals", {}).items():
            signals[key].extend(patterns)
        for key, patterns in data.get("concepts", {}).items():
            concepts[key].extend(patterns)
        # Every word the lists spell, so stretched letters fold back onto them ("killll" -> "kill").
        spelled_words.update(re.findall(r"(?<![\\a-z])[a-z]{3,}", path.read_text(encoding="utf-8")))
    return Lexicon(
        rules=tuple(rules),
        signals=Signals(**{key: _alternatives(patterns) for key, patterns in signals.items()}),
        dark=_alternatives(concepts["dark"]),
        bright=_alternatives(concepts["bright"]),
        proximity=tuple(proximity),
        idioms=_alternatives(lists["idioms"]),
        negation=_alternatives(lists["negations"]),
        first_person=_alternatives(first_person),
        third_party=_alternatives(lists["third_party"]),
        past=_alternatives(lists["past"]),
        present=_alternatives(lists["present"]),
        vocabulary=tuple(dict.fromkeys([*vocabulary, *sorted(spelled_words)])),
    )


def prepare(text: str) -> str:
    """Normalize and blank out idioms, keeping positions stable."""
    lex = lexicon()
    normalized = normalize(text, lex.vocabulary)
    return lex.idioms.sub(lambda m: " " * len(m.group(0)), normalized)


def find_risks(text: str, others: tuple[str, ...] = (), use_classifier: bool = True) -> tuple[RiskHit, ...]:
    """Phrases in `text` that may signal risk, after the context rules; `others` are extra names of third parties.

    `use_classifier=False` runs the rules alone (the classifier's training measures them so).
    """
    hits: list[RiskHit] = []
    for variant in dict.fromkeys((text, display_order(text))):
        hits.extend(_risks_in(variant, others, use_classifier))
    return tuple(dict.fromkeys(hits))


def _risks_in(text: str, others: tuple[str, ...], use_classifier: bool) -> list[RiskHit]:
    lex = lexicon()
    prepared = prepare(text)
    # Names are folded like the text ("Tomás" must match "tomas").
    extra_people = _extra_people(others)
    hits: list[RiskHit] = []
    sentences = _sentences(prepared)
    for sentence in sentences:
        for rule in lex.rules:
            for match in rule.pattern.finditer(sentence):
                if rule.requires is not None and not rule.requires.search(sentence):
                    continue
                if _set_aside(lex, rule, sentence, match, extra_people):
                    continue
                hits.append(RiskHit(rule.category, match.group(0).strip()))
        if not hits:
            hits.extend(_near_hits(lex, sentence, extra_people))
        if not hits:
            hits.extend(_signal_hits(lex, sentence, extra_people))
    if not hits and prepared.strip() and use_classifier:
        hits.extend(_classifier_hits(lex, prepared, sentences, extra_people))
    return hits


def _live(
    lex: Lexicon, pattern: re.Pattern[str], sentence: str, extra_people: re.Pattern[str] | None, negatable: bool = True
) -> list[re.Match[str]]:
    """Matches of `pattern` in `sentence` that the context rules do not set aside."""
    rule = _NEAR_RULE if negatable else _PLAIN_RULE
    return [m for m in pattern.finditer(sentence) if not _set_aside(lex, rule, sentence, m, extra_people)]


def _signal_hits(lex: Lexicon, sentence: str, extra_people: re.Pattern[str] | None) -> list[RiskHit]:
    """A means or a farewell, with an intent, a time or an ending, in one sentence about the writer."""
    if not lex.first_person.search(sentence):
        return []
    signals = lex.signals
    found: list[RiskHit] = []
    for anchor, partners in (
        (signals.means, (signals.ending, signals.intent, signals.timing)),
        (signals.farewell, (signals.timing, signals.ending)),
    ):
        anchors = _live(lex, anchor, sentence, extra_people)
        if not anchors:
            continue
        first = anchors[0]
        for partner in partners:
            others = [
                m
                for m in _live(lex, partner, sentence, extra_people)
                if m.end() <= first.start() or m.start() >= first.end()
            ]
            if others:
                category = (
                    "overdose"
                    if _core_category(first.group(0)) == "overdose" and "pill" not in first.group(0)
                    else "suicide"
                )
                found.append(RiskHit(category, f"{first.group(0).strip()} + {others[0].group(0).strip()}"))
                return found
    return found


SIGNAL_NAMES: tuple[str, ...] = (
    "first person",
    "told in the past",
    "present time",
    "negation",
    "someone else",
    "death or harm word",
    "death or harm word, live",
    *(f"{name}{live}" for name in ("means", "farewell", "time", "ending", "intent") for live in ("", ", live")),
)


def context_signals(text: str, others: tuple[str, ...] = ()) -> list[float]:
    """The yes/no context signals the classifier weighs beside the sentence vector (SIGNAL_NAMES)."""
    lex = lexicon()
    prepared = prepare(text)
    return _signals(lex, prepared, _sentences(prepared), _extra_people(others))


def _sentences(prepared: str) -> list[str]:
    return [m.group(0) for m in _SENTENCE.finditer(prepared)]


def _extra_people(others: tuple[str, ...]) -> re.Pattern[str] | None:
    names = [normalize(name) for name in others if name.strip()]
    return _words("|".join(re.escape(name) for name in names)) if names else None


def _signals(lex: Lexicon, prepared: str, sentences: list[str], extra_people: re.Pattern[str] | None) -> list[float]:
    first_person = bool(lex.first_person.search(prepared))
    about_others = bool(lex.third_party.search(prepared)) or bool(extra_people and extra_people.search(prepared))
    found = [
        first_person,
        bool(lex.past.search(prepared)) and not lex.present.search(prepared),
        bool(lex.present.search(prepared)),
        bool(lex.negation.search(prepared)),
        about_others and not first_person,
        bool(lex.dark.search(prepared)),
        any(_live(lex, lex.dark, sentence, extra_people) for sentence in sentences),
    ]
    signals = lex.signals
    for pattern in (signals.means, signals.farewell, signals.timing, signals.ending, signals.intent):
        found.append(bool(pattern.search(prepared)))
        found.append(any(_live(lex, pattern, sentence, extra_people) for sentence in sentences))
    return [float(value) for value in found]


def _classifier_hits(
    lex: Lexicon, prepared: str, sentences: list[str], extra_people: re.Pattern[str] | None
) -> list[RiskHit]:
    """The trained classifier over the sentence vector and the context signals, explained by the nearest exemplar.

    The flag names the signal words still live after the context rules (a death or harm word, a
    means, a farewell, a time) and the risk exemplar the text reads most like. A text shorter than
    CLASSIFIER_MIN_WORDS is flagged only with such a word.
    """
    vector = semantic.embed([prepared])[0]
    features = classifier.inputs(vector, _signals(lex, prepared, sentences, extra_people))
    if classifier.score(features) < classifier.model().threshold:
        return []
    words: list[str] = []
    for pattern in (lex.dark, lex.signals.means, lex.signals.farewell, lex.signals.timing, lex.signals.ending):
        for sentence in sentences:
            words += [m.group(0).strip() for m in _live(lex, pattern, sentence, extra_people)]
    for sentence in sentences:
        words += [
            m.group(0).strip() for m in _live(lex, lex.bright, sentence, extra_people) if _negated(lex, sentence, m)
        ]
    shown = " + ".join(list(dict.fromkeys(word for word in words if word))[:3])
    if not shown and len(_WORD.findall(prepared)) < CLASSIFIER_MIN_WORDS:
        return []
    found = semantic.resemblance_of(vector)
    likeness = f"reads like “{found.nearest}”"
    return [RiskHit(found.category or "suicide", f"{shown}; {likeness}" if shown else likeness, source="model")]


def _negated(lex: Lexicon, sentence: str, match: re.Match[str]) -> bool:
    clause_start, _ = _clause_bounds(sentence, *match.span())
    before = sentence[clause_start : match.start()].split()[-_NEGATION_WINDOW_WORDS:]
    return bool(lex.negation.search(" ".join(before)))


_NEAR_RULE = Rule(category="suicide", pattern=re.compile(""), negatable=True, requires=None)
_FIRST_PERSON_VERB = re.compile(r"(?:i|i'?m|im|i'?ll|ill|voy|lo|la|los|las|le|les|quiero)\b")
_PLAIN_RULE = Rule(category="suicide", pattern=re.compile(""), negatable=False, requires=None)
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
    # "my family would be better off without me" is about the writer, whoever the subject is, and
    # in "if I see my ex tonight I'll kill him" the other person is the target, not the subject.
    if (
        not lex.first_person.search(match.group(0))
        and not (rule.category == "harm_others" and _FIRST_PERSON_VERB.match(match.group(0)))
        and _about_someone_else(lex, before, extra_people)
    ):
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
