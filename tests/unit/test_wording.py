"""Sentences built around participants' words keep the frame in the writer's language."""

from hopecircle.wording import goal_sentence


def test_a_goal_reads_as_one_sentence_in_the_given_language():
    assert goal_sentence("call my sister", "Friday", "en") == "I will call my sister by Friday"
    assert goal_sentence("llamar a mi hermana", "el viernes", "es") == "Voy a llamar a mi hermana para el viernes"


def test_a_goal_without_a_when_has_no_dangling_by():
    assert goal_sentence("rest", None, "en") == "I will rest"
    assert goal_sentence("descansar", "", "es") == "Voy a descansar"


def test_the_words_inside_are_kept_exactly():
    assert goal_sentence("<b>walk</b> *daily* {what}", None, "en") == "I will <b>walk</b> *daily* {what}"
