"""Who signs the results page's letters: the supporter's visit, with the address they gave."""

from __future__ import annotations

from advocacy.pledges.visits import Typed, supporter_of


def visit(**typed: str) -> Typed:
    fields = {"name": "Jane Doe", "street": "", "city": "", "state": "WA", "zip": "98101"}
    fields.update(typed)
    matched = fields.pop("matched", "")
    lookup = {"matched_address": matched} if matched else {}
    return Typed(note="", lookup=lookup, **fields)


def test_the_letters_are_signed_with_what_the_supporter_typed() -> None:
    supporter = supporter_of(visit(street="123 Main St", city="Seattle"))
    assert (supporter.street, supporter.city, supporter.state, supporter.zip) == (
        "123 Main St",
        "Seattle",
        "WA",
        "98101",
    )


def test_a_street_without_a_city_closes_with_the_city_the_census_matched() -> None:
    matched = "123 MAIN ST, SEATTLE, WA, 98101"
    assert supporter_of(visit(street="123 Main St", matched=matched)).city == "Seattle"
    # A city typed is kept as typed.
    assert supporter_of(visit(city="Shoreline", matched=matched)).city == "Shoreline"


def test_a_zip_code_alone_names_no_city() -> None:
    # The ZIP code tables name no places: the letters close with "WA 98101".
    assert supporter_of(visit()).city == ""
    assert supporter_of(visit(matched="98101")).city == ""
