"""Reading documents the importer has never seen: conventions recognised by their shape.

Each example is shaped like a real document of the genre (tests/corpus/ has the real ones).
"""
from __future__ import annotations

from policy_handbook.importer.measures import read_measures
from policy_handbook.text.outline import read_outline
from policy_handbook.text.reading import reading_form


def measures(text: str) -> list[tuple[str, str, str]]:
    return [(d.number, d.title, d.kind) for d in read_measures(read_outline(text))]


def test_the_reading_form_is_simplified_and_half_width_character_for_character():
    text = "第一條　總則（二）１２．"
    assert reading_form(text) == "第一条 总则(二)12."
    assert len(reading_form("區(qū)發(fā)改委")) == len("區(qū)發(fā)改委")


def test_articles_in_traditional_characters_under_a_general_chapter_are_general_cards():
    text = ("第一章 總 則\n"
            "第一條 為了全面落實鄉村振興責任制，結合我省實際，制定本實施細則。\n"
            "第二條 落實鄉村振興責任制，堅持以習近平新時代中國特色社會主義思想為指導。\n"
            "第二章 責任分工\n"
            "第三條 省委農村工作領導小組負責統籌協調。\n")
    assert measures(text) == [
        ("第一條", "為了全面落實鄉村振興責任制，結合我省實際，制定本實施細則", "general"),
        ("第二條", "落實鄉村振興責任制，堅持以習近平新時代中國特色社會主義思想為指導", "general"),
        ("第三條", "省委農村工作領導小組負責統籌協調", "measure")]


def test_full_width_digits_and_spaces_inside_labels_are_read_as_numbers():
    text = "（ 一）降低企业用电成本。深化电力体制改革。\n( 二 )降低物流成本。推进多式联运。\n"
    assert [(n, t) for n, t, _ in measures(text)] == [
        ("（ 一）", "降低企业用电成本"), ("( 二 )", "降低物流成本")]
    assert [t for _, t, _ in measures("１．减免租金。对承租国有房屋的给予减免。\n２．缓缴社保。阶段性缓缴。\n")] == [
        "减免租金", "缓缴社保"]


def test_an_excerpt_whose_numbering_starts_mid_sequence_is_read():
    text = "（四）加强金融支持。扩大信贷投放。\n（五）优化政务服务。推行一网通办。\n"
    assert [n for n, _, _ in measures(text)] == ["（四）", "（五）"]


def test_a_number_printed_twice_gives_two_measures():
    text = "1.降低用地成本。实行弹性出让。\n2.降低用电成本。推进直接交易。\n2.降低用气成本。理顺价格。\n"
    assert [t for _, t, _ in measures(text)] == ["降低用地成本", "降低用电成本", "降低用气成本"]
