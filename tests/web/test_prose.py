"""Prose an organization writes, as pages show it: paragraphs, emphasis, lists and links to
http(s) and mailto addresses; everything else escaped, never HTML."""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

import pytest
from markupsafe import Markup
from pages import parse

from advocacy.web.prose import RefusedLink, link_allowed, refused_links, render

URL = "https://example.org/page"


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every element of a fragment, with its attributes, in order."""
    return [(e.tag, e.attrs) for e in parse(html).iter()[1:]]


def assert_no_markup_but(html: str, allowed: set[str]) -> None:
    """Only the formatting's own elements, and no attribute but a link's href and title."""
    for tag, attrs in elements(html):
        assert tag in allowed, (tag, html)
        assert set(attrs) <= ({"href", "title"} if tag == "a" else set()), (tag, attrs)


# --- plain text: as before ----------------------------------------------------------------------


def test_plain_text_is_one_paragraph_escaped_as_before() -> None:
    html = render('China sent the People\'s Liberation Army. 5 < 7 & "so".')
    assert isinstance(html, Markup)
    assert html == (
        "<p>China sent the People's Liberation Army. 5 &lt; 7 &amp; &quot;so&quot;.</p>\n"
    )


def test_text_that_looks_like_other_markdown_shows_as_typed() -> None:
    # Headings, code, quotes, entities and autolinks are not part of it.
    text = "# Not a heading\n\n    not code\n\n> not a quote\n\n`tick` &amp; <https://x.org>"
    html = render(text)
    assert_no_markup_but(html, {"p"})
    assert parse(html).squeezed() == (
        "# Not a heading not code > not a quote `tick` &amp; <https://x.org>"
    )


def test_backslashes_show_as_typed() -> None:
    # No escapes (and no line break from a backslash): a path or a regex stays as it is.
    assert render("C:\\Users\\me \\[x\\] a\\\nb") == "<p>C:\\Users\\me \\[x\\] a\\\nb</p>\n"


def test_blank_lines_make_paragraphs_and_a_single_line_break_stays_in_one() -> None:
    html = render("First line\nsame paragraph.\n\nSecond paragraph.")
    assert html == "<p>First line\nsame paragraph.</p>\n<p>Second paragraph.</p>\n"


# --- what it takes ------------------------------------------------------------------------


def test_emphasis_nested_in_strong_emphasis() -> None:
    html = render("*one **two** one* and **_both_**")
    assert html == (
        "<p><em>one <strong>two</strong> one</em> and <strong><em>both</em></strong></p>\n"
    )


def test_bullet_and_numbered_lists() -> None:
    html = render("The bill:\n\n- funds advocates\n- trains diplomats\n\n1. first\n2. second")
    tree = parse(html)
    assert [li.text() for li in tree.one("ul").find_all("li")] == [
        "funds advocates",
        "trains diplomats",
    ]
    assert [li.text() for li in tree.one("ol").find_all("li")] == ["first", "second"]


def test_lists_nest_only_so_deep() -> None:
    # markdown-it's own bound on nesting: deeper markers are text, not a stack overflow.
    html = render("\n".join("  " * depth + "- item" for depth in range(200)))
    assert html.count("<ul>") <= 20


@pytest.mark.parametrize(
    ("text", "href"),
    [
        (f"[the page]({URL})", URL),
        ("[the page](http://example.org)", "http://example.org"),
        ("[write to us](mailto:act@example.org)", "mailto:act@example.org"),
        ("[shouting](HTTPS://EXAMPLE.ORG/)", "HTTPS://EXAMPLE.ORG/"),
    ],
)
def test_links_to_web_and_mail_addresses(text: str, href: str) -> None:
    html = render(text)
    assert elements(html) == [("p", {}), ("a", {"href": href})]
    assert refused_links(text) == []


def test_a_link_with_quotes_in_it_stays_inside_its_attributes() -> None:
    text = '[say "hi"](https://example.org/?q="x"&y=\'z\' "it\'s \\"fine\\"")'
    html = render(text)
    (link,) = parse(html).find_all("a")
    assert link.attrs == {"href": "https://example.org/?q=%22x%22&y='z'", "title": 'it\'s "fine"'}
    assert link.text() == 'say "hi"'
    assert_no_markup_but(html, {"p", "a"})


# --- what it refuses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("[x](javascript:alert(1))", "javascript:alert(1)"),
        ("[x](JaVaScRiPt:alert(1))", "JaVaScRiPt:alert(1)"),
        ("[x](  javascript:alert(1))", "javascript:alert(1)"),
        ("[x](\n javascript:alert(1))", "javascript:alert(1)"),
        ("[x](<javascript:alert(1)>)", "javascript:alert(1)"),
        ("[x](&#106;avascript:alert(1))", "javascript:alert(1)"),
        ("[x](&#x6A;&#X61;vascript:alert(1))", "javascript:alert(1)"),
        ("[x](&Tab;javascript:alert(1))", "javascript:alert(1)"),
        ("[x](java&#9;script:alert(1))", "java%09script:alert(1)"),
        ("[x](<java script:alert(1)>)", "java%20script:alert(1)"),
        ("[x](%6Aavascript:alert(1))", "%6Aavascript:alert(1)"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:text/html;base64,PHNjcmlwdD4="),
        (
            "[x](DATA:text/html,<script>alert(1)</script>)",
            "DATA:text/html,%3Cscript%3Ealert(1)%3C/script%3E",
        ),
        ("[x](vbscript:msgbox(1))", "vbscript:msgbox(1)"),
        ("[x](file:///etc/passwd)", "file:///etc/passwd"),
        ("[x](ftp://example.org)", "ftp://example.org"),
        ("[x](//evil.example)", "//evil.example"),
        ("[x](/c/elsewhere)", "/c/elsewhere"),
        ("[x](#act)", "#act"),
        ("[x](https:evil.example)", "https:evil.example"),
        ("[x]()", ""),
    ],
)
def test_any_other_link_is_its_words_as_plain_text(text: str, address: str) -> None:
    html = render(text)
    assert html == "<p>x</p>\n", html
    assert refused_links(text) == [RefusedLink("x", address)]


def test_an_address_behind_control_characters_is_no_link() -> None:
    # Browsers drop leading control characters ("\x01javascript:" runs script); CommonMark
    # takes no address with one, so the whole text stays text.
    text = "[x](\x01javascript:alert(1))"
    assert_no_markup_but(render(text), {"p"})
    assert "href" not in render(text)


def test_the_refused_links_words_are_named_with_their_formatting_dropped() -> None:
    text = f"Read [the *whole* story](javascript:go()) and [this]({URL})."
    assert refused_links(text) == [RefusedLink("the whole story", "javascript:go()")]
    html = render(text)
    assert html == f'<p>Read the <em>whole</em> story and <a href="{URL}">this</a>.</p>\n'


def test_an_image_is_not_an_image() -> None:
    html = render(f"![a picture]({URL}/x.png) ![data](data:image/png;base64,AAAA)")
    assert_no_markup_but(html, {"p", "a"})
    assert "<img" not in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "<div>\n<b>raw HTML block</b>\n</div>",
        "<!-- a comment --> <?php echo 1; ?> <![CDATA[x]]>",
        '<a href="javascript:alert(1)">click</a>',
        "*<svg onload=alert(1)>*",
        '[<img src=x onerror=alert(1)>](https://example.org "<script>")',
        '[x](https://example.org/"><script>alert(1)</script>)',
        "- <iframe src=javascript:alert(1)>",
    ],
)
def test_html_is_never_read_as_html(text: str) -> None:
    html = render(text)
    assert_no_markup_but(html, {"p", "em", "a", "ul", "li"})
    assert "<script" not in html and "<img" not in html and "<svg" not in html
    assert "<iframe" not in html and "<div" not in html and "<!--" not in html


# --- any text ----------------------------------------------------------------------------


def test_uyghur_text_right_to_left_with_emphasis_and_a_link() -> None:
    text = "ئۇيغۇر *تىلى* ۋە [ئۇلىنىش](https://example.org/ug) بار."
    assert render(text) == (
        '<p>ئۇيغۇر <em>تىلى</em> ۋە <a href="https://example.org/ug">ئۇلىنىش</a> بار.</p>\n'
    )


def test_lone_surrogates_become_replacement_characters() -> None:
    html = render("half \ud800 a pair \udfff [x](https://example.org/\ud83d)")
    assert "\ufffd" in html
    html.encode("utf-8")  # a page can be sent


def test_a_nul_character_becomes_a_replacement_character() -> None:
    assert render("a\x00b") == "<p>a\ufffdb</p>\n"


def test_a_megabyte_of_prose_renders_whole() -> None:
    paragraph = "Uyghur communities remember Baren every year, *on April 5*. " * 40
    text = "\n\n".join([paragraph] * 400)  # about a megabyte
    html = render(text)
    assert html.count("<p>") == 400 and html.count("<em>") == 16_000


def lines_run(text: str) -> int:
    """How many lines of Python rendering the text runs: the parser's work, counted the
    same on any machine."""
    count = 0

    def tracer(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        count += event == "line"
        return tracer

    before = sys.gettrace()
    sys.settrace(tracer)
    try:
        render(text)
        refused_links(text)
    finally:
        sys.settrace(before)
    return count


@pytest.mark.parametrize(
    "unit",
    ["*a ", "**", "_a_", "[", "[a](", "](", "a*b* ", "[a]", "- ", "1. ", "<", "\\", "&#", "word "],
)
def test_text_a_parser_can_trip_on_takes_work_in_proportion_to_its_size(unit: str) -> None:
    # Four times the text takes four times the work, where a parser gone quadratic on it
    # would take sixteen. Counted in lines run, not timed: the clock depends on the machine.
    small = unit * (2_000 // len(unit))
    assert lines_run(small * 4) <= 6 * lines_run(small)


def test_link_allowed_only_for_web_and_mail_addresses() -> None:
    assert link_allowed("https://example.org") and link_allowed("mailto:a@example.org")
    for address in ("javascript:x", " https://example.org", "https://", "mailto:", "tel:1"):
        assert not link_allowed(address), address
