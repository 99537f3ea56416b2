"""The risk screener: disguises, means and plans, the classifier, and the development figures.

Figures are guarded a little below what bench/screening_eval.py measures (docs/safety.md), so a
change that loses recall or raises false flags fails here; timing is measured there, never here.
The classifier is trained on these very sets, so these are development figures: the estimates
for new text come from grouped cross-validation (scripts/train_risk_classifier.py).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from hopecircle.safety import classifier, screen, semantic
from hopecircle.safety.disguise import DISGUISES
from hopecircle.safety.normalize import display_order, normalize
from hopecircle.safety.risk import find_risks, lexicon

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.screening_eval import CALM_GROUPS, DEVELOPMENT_SETS, confusion, group_of, rate  # noqa: E402

# (minimum recall on all risk texts, maximum false-flag rate per not-risk group, maximum over all
# not-risk texts) per development set, over both languages.
TARGETS = {
    "dev": (0.98, 0.12, 0.08),
    "dev_retired": (0.98, 0.15, 0.10),
    "dev_bank": (0.98, 0.16, 0.13),
    "dev_blind_en": (0.98, 0.15, 0.10),
    "dev_blind_es": (0.98, 0.25, 0.16),
    "dev_varied": (0.98, 0.22, 0.10),
    "dev_writer_a": (0.98, 0.15, 0.10),
    "dev_writer_b": (0.98, 0.25, 0.12),
}


def rows_of(name: str) -> list[dict[str, str]]:
    with DEVELOPMENT_SETS[name].open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def screened() -> dict[str, tuple[list[dict[str, str]], dict[str, tuple]]]:
    result = {}
    for name in DEVELOPMENT_SETS:
        rows = rows_of(name)
        result[name] = (rows, {row["id"]: find_risks(row["text"]) for row in rows})
    return result


@pytest.mark.parametrize("name", list(TARGETS))
def test_the_development_sets_keep_their_recall_and_false_flag_figures(screened, name):
    rows, hits = screened[name]
    table = confusion(rows, {key: bool(value) for key, value in hits.items()})
    min_recall, max_false_flags, max_all_false_flags = TARGETS[name]
    assert rate(table[("all", "all risk")], risk=True) >= min_recall
    for group in CALM_GROUPS:
        assert rate(table[("all", group)], risk=False) <= max_false_flags, group
    assert rate(table[("all", "all not-risk")], risk=False) <= max_all_false_flags


def test_every_flag_on_the_development_sets_explains_itself(screened):
    for rows, hits in screened.values():
        for row in rows:
            for hit in hits[row["id"]]:
                assert hit.phrase.strip(), row["text"]
                assert hit.category in ("suicide", "self_harm", "overdose", "harm_others")


@pytest.mark.parametrize("disguise", list(DISGUISES))
def test_risk_texts_of_the_development_sets_are_still_caught_under_each_disguise(screened, disguise):
    apply = DISGUISES[disguise]
    for name in DEVELOPMENT_SETS:
        rows, hits = screened[name]
        caught = [row for row in rows if row["label"] == "1" and hits[row["id"]]]
        missed = [row["text"] for row in caught if not find_risks(apply(row["text"], row["lang"]))]
        assert len(missed) / len(caught) <= 0.06, (name, missed)


@pytest.mark.parametrize(
    "text",
    [
        "\u202ethginot flesym llik ot tnaw I",  # displays as "I want to kill myself tonight"
        "\u2066I want\u2069 \u2067to kill\u2069 \u2068myself\u2069 tonight",
        "I want to k\U000e0041ill my\U000e0020self tonight",
        "I want to kill\nmyself",
        "I have enough pills saved up to make it stop",
        "tengo pastillas guardadas para terminar con todo",
    ],
)
def test_the_disguises_and_the_statements_named_in_the_issue_are_caught(text):
    result = screen(text)
    assert result.risk, text
    assert all(hit.phrase for hit in result.risk)


def test_a_right_to_left_override_is_read_as_it_is_displayed():
    assert display_order("\u202eenod m'i\u202c ok") == "i'm done ok"
    assert display_order("no override here") == "no override here"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("kill\nmyself", "kill myself"),
        ("kil😭l my🙏self", "kill myself"),
        ("kiiiilll myseeeelf", "kill myself"),
        ("\U000e0041k\U000e007fill", "kill"),
        ("ᴋɪʟʟ myself", "kill myself"),
        ("i  h a v e  e n o u g h  pills", "i have enough pills"),
    ],
)
def test_normalization_undoes_the_newer_tricks(raw, expected):
    assert normalize(raw, lexicon().vocabulary) == expected


def test_a_means_and_plan_flag_names_both_signals():
    hits = find_risks("I have enough pills saved up to make it stop")
    assert any("pills" in hit.phrase and "+" in hit.phrase for hit in hits)


def test_a_classifier_flag_names_the_exemplar_it_reads_like():
    hits = find_risks("i am so finished with all of it, tonight i stop")
    assert hits
    assert all("reads like “" in hit.phrase for hit in hits)


@pytest.mark.parametrize(
    "text",
    [
        "I saved up for a trip to see my daughter",
        "going to the bridge club with my aunt on saturday",
        "I used to stockpile my pills. Today my wife holds them and I'm 2 years sober",
        "my brother wrote goodbye letters before he died",
        "no tengo ningún plan y no voy a hacer nada, solo estoy pasando un mal rato",
    ],
)
def test_means_words_in_ordinary_past_or_other_peoples_sentences_are_not_flagged(text):
    assert find_risks(text) == (), text


@pytest.mark.parametrize(
    "text",
    [
        "after tonight nobody will have to worry about me again",
        "my sister can keep the dog, I won't be around to walk him after this week",
        "le deje mi perro a mi vecina, ya no voy a estar para cuidarlo",
    ],
)
def test_risk_said_without_a_risk_word_is_flagged_and_explained_by_the_classifier(text):
    hits = find_risks(text)
    assert hits, text
    if not find_risks(text, use_classifier=False):
        assert all("reads like “" in hit.phrase for hit in hits)
    assert all(hit.category in ("suicide", "self_harm", "overdose", "harm_others") for hit in hits)


def test_the_classifier_was_trained_on_the_current_sets_and_lexicons():
    assert classifier.model().digest == classifier.training_digest(), "run scripts/train_risk_classifier.py"


def test_the_classifier_weighs_one_vector_and_every_context_signal():
    from hopecircle.safety.risk import SIGNAL_NAMES, context_signals

    trained = classifier.model()
    assert trained.weights.shape == (trained.vectors.shape[1] + len(SIGNAL_NAMES),)
    assert len(context_signals("I want to die tonight")) == len(SIGNAL_NAMES)
    assert trained.vectors.shape[0] == trained.risk.shape[0]


def test_the_exemplar_vectors_match_the_exemplar_texts():
    import numpy as np

    with np.load(semantic.BANK_VECTORS, allow_pickle=False) as stored:
        assert str(stored["digest"]) == semantic.bank_digest(), "run scripts/build_exemplar_bank.py"


def test_both_category_namings_map_to_the_same_groups():
    assert group_of("direct_risk") == group_of("direct") == "direct"
    assert group_of("overdose_risk") == group_of("overdose_means") == "overdose_means"
    assert group_of("passive_risk") == group_of("passive")


@pytest.mark.parametrize(
    "word",
    ["calm", "peaceful", "at peace", "en paz", "tranquila", "hopeful", "tired", "numb", "cansado", "🙂 calm"],
)
def test_a_one_or_two_word_check_in_is_not_flagged_on_the_classifier_s_guess(word):
    result = screen(word)
    assert not result.risk and not result.caution, word


@pytest.mark.parametrize(
    "text", ["end it", "done living", "kill him", "want death", "goodbye everyone", "quiero morir", "cut myself"]
)
def test_a_short_risk_text_with_a_risk_word_is_still_flagged(text):
    result = screen(text)
    assert result.risk or result.caution, text
    assert all(hit.phrase for hit in (*result.risk, *result.caution))
