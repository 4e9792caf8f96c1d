"""Helpers for the browser tests: the supporter's steps, keyboard moves and axe checks."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from contact_keys import hashed
from data_files import delegation
from flask import Flask
from organizer_pages import EMAIL, PASSWORD
from playwright.sync_api import Browser, BrowserContext, Page, Response

SLUG = "uyghur-policy-act"
CAMPAIGN = f"/c/{SLUG}"
THANKS = f"/c/{SLUG}/thanks"
SUBMIT = "form.pledge-form button[type=submit]"

# 98105 lies in one district (WA-7): a ZIP alone finds all three members, who are
# whoever the shipped snapshot says sits for WA-7 and Washington.
ONE_DISTRICT_ZIP = "98105"
WA_MEMBERS = tuple(delegation("WA", 7))
# 98101 spans WA-7 and WA-9: the page shows the senators and asks for the street.
SPLIT_ZIP = "98101"

# WCAG 2.0-2.2 A and AA, and axe's best practices; target-size (2.5.8, WCAG 2.2 AA) is off
# in axe by default, so it is switched on by name.
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}

# Generous enough for a slow CI machine, short enough that a hang fails quickly.
TIMEOUT_MS = 15_000

_emails = itertools.count(1)


@dataclass(frozen=True)
class LiveServer:
    app: Flask
    url: str

    def __call__(self, path: str = "/") -> str:
        return self.url + path


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    """Return a fresh context (own cookies) with the suite's timeouts."""
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


def unique_email(label: str) -> str:
    """Return an address no other test used: one pledge per email and campaign."""
    return f"{label}-{next(_emails)}@example.org"


def active_element(page: Page) -> dict[str, Any]:
    """Describe the focused element: what it is, whether it shows, whether it has a ring."""
    described: dict[str, Any] = page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el) { return {}; }
            const box = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            return {tag: el.tagName.toLowerCase(), id: el.id, name: el.name || "",
                    type: el.type || "", cls: el.className || "",
                    text: (el.textContent || "").trim().slice(0, 80),
                    // Where a sighted keyboard user can see it, with a visible focus ring.
                    visible: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
                             && style.visibility !== "hidden",
                    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2};
        }"""
    )
    return described


def tab_to(page: Page, selector: str, limit: int = 80) -> list[dict[str, Any]]:
    """Press Tab until the element matching selector has focus; return the stops passed."""
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return stops
        stops.append(active_element(page))
    raise AssertionError(f"{selector} never took focus after {limit} Tabs; passed {stops}")


def fill_pledge(page: Page, **fields: str) -> None:
    """Fill the pledge form (the keyboard test types instead)."""
    values = {"name": "Amina Tursun", "zip": ONE_DISTRICT_ZIP, "city": "Seattle", **fields}
    values.setdefault("email", unique_email("amina"))
    for name, value in values.items():
        if name == "state":
            page.select_option("#state", value)
        else:
            page.fill(f"form.pledge-form [name={name}]", value)


def submit_pledge(page: Page) -> Response | None:
    """Press the pledge button and wait for the page the server answers with."""
    with page.expect_navigation() as navigation:
        page.click(SUBMIT)
    response = navigation.value
    page.wait_for_load_state("load")
    return response


def pledge(page: Page, base_url: str, **fields: str) -> None:
    """Load the campaign page, fill the form, submit; end on the thanks page."""
    page.goto(base_url + CAMPAIGN)
    fill_pledge(page, **fields)
    submit_pledge(page)
    assert page.url.split("#")[0] == base_url + THANKS, page.url


def assert_no_axe_violations(page: Page, label: str) -> None:
    """Run axe-core on the page and fail with a readable list of what it found."""
    results = Axe().run(page, options=AXE_OPTIONS)
    if results.violations_count:
        lines = [f"axe found {results.violations_count} violation(s) on {label} ({page.url}):"]
        for violation in results.response["violations"]:
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']}"
                f" [{', '.join(t for t in violation['tags'] if t.startswith('wcag'))}]"
                f" {violation['helpUrl']}"
            )
            for node in violation["nodes"][:5]:
                lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
                if node.get("failureSummary"):
                    summary = node["failureSummary"].replace("\n", " / ")
                    lines.append(f"      {summary[:300]}")
            if len(violation["nodes"]) > 5:
                lines.append(f"    … and {len(violation['nodes']) - 5} more")
        raise AssertionError("\n".join(lines))


def pdf_page_count(pdf: bytes) -> int:
    """Count the page objects in a PDF (Chromium writes them uncompressed)."""
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


def mailed_codes(live: LiveServer, email: str) -> tuple[str | None, str]:
    """The confirm and withdraw codes of the latest email waiting for this address, as the
    email shows them (K7QX2-M9PDA-…): what the supporter finds in their mailbox."""
    import sqlalchemy as sa

    from advocacy.db import get_session
    from advocacy.models import OutboxMail, Pledge
    from advocacy.pledges.codes import shown

    with live.app.app_context():
        row = (
            get_session()
            .execute(
                sa.select(OutboxMail.confirm_code, OutboxMail.withdraw_code)
                .join(Pledge, Pledge.id == OutboxMail.pledge_id)
                .where(Pledge.email_hash == hashed(email))
                .order_by(OutboxMail.id.desc())
                .limit(1)
            )
            .one()
        )
    return (shown(row.confirm_code) if row.confirm_code else None), shown(row.withdraw_code)


def sign_in_to(page: Page, server: LiveServer, path: str) -> None:
    """Open an organizers' page signed out, sign in where it leads, and land back on it."""
    page.goto(server(path))
    assert page.url.startswith(server("/organizers/login?next=")), page.url
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.url == server(path), page.url
