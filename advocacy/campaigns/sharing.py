"""Sharing a campaign after acting: plain links, one `ref` per channel.

Every way to share is a link or a text to copy, built here: the page that shows them
loads nothing from another site (no share buttons' scripts, pixels or previews), and a
channel's site is reached only when the supporter follows its link. Each link names the
campaign page with `?ref=share-<channel>`, so the organizers' dashboard can count which
channels bring people, apart from the partners' refs. The text names the campaign, never
the supporter: it is the same for everyone who shares the campaign by that channel in one
language. A supporter shares in the language of their page: the sentence is translated,
the title is the campaign's own in that language, and the link keeps the page's prefix
(/ug/c/<slug>), so whoever follows it reads the campaign in the language it was sent in.

Signal has no address that opens it with a message filled in (`signal.me` and `sgnl://`
open a chat with one person or group), so Signal gets the message to copy and paste; on
a phone, the system's share sheet offers Signal too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from flask import Flask, current_app
from flask_babel import gettext

from advocacy.campaigns.content import content_of
from advocacy.campaigns.translated import Shown, translation_of
from advocacy.i18n.languages import ENGLISH, Language
from advocacy.models import Campaign
from advocacy.web.languages import current_language, in_script
from advocacy.web.links import public_url_for

# A ref that starts with this names a share channel, not a partner.
SHARE_PREFIX = "share-"


@dataclass(frozen=True)
class Channel:
    ref: str
    name: str


COPY = Channel("share-copy", "Copied link")
EMAIL = Channel("share-email", "Email")
SIGNAL = Channel("share-signal", "Signal (copied message)")
WHATSAPP = Channel("share-whatsapp", "WhatsApp")
TELEGRAM = Channel("share-telegram", "Telegram")
NATIVE = Channel("share-native", "Share menu")
CHANNELS = (EMAIL, WHATSAPP, SIGNAL, TELEGRAM, NATIVE, COPY)


@dataclass(frozen=True)
class ShareLinks:
    """What the share block shows: a link or a text for each channel."""

    title: str
    sentence: str
    copy_url: str
    signal_text: str
    native_url: str
    email_href: str
    whatsapp_href: str
    telegram_href: str


def campaign_url(app: Flask, slug: str, channel: Channel, language: Language = ENGLISH) -> str:
    """Return the public address of the campaign page in language, attributed to channel."""
    return public_url_for(app, "campaigns.page", language=language, slug=slug, ref=channel.ref)


def share_sentence(title: str) -> str:
    """Return the sentence that goes with the link: the campaign's title and its ask, in
    the language being spoken (the page's)."""
    title = " ".join(title.split())
    end = "" if title.endswith((".", "!", "?", "…", "؟")) else "."
    return str(
        gettext(
            "%(title)s Add your name and write to your members of Congress:", title=title + end
        )
    )


def _quoted(text: str) -> str:
    # Spaces as %20, never "+": mail programs read a mailto: body literally (RFC 6068).
    return quote(text, safe="")


def share_links(app: Flask, slug: str, title: str, language: Language = ENGLISH) -> ShareLinks:
    """Return the share block's links and texts for the campaign at slug, in language (the
    sentence is said in the language being spoken: the caller's page's)."""
    sentence = share_sentence(title)

    def url(channel: Channel) -> str:
        return campaign_url(app, slug, channel, language)

    def message(channel: Channel) -> str:
        return f"{sentence} {url(channel)}"

    return ShareLinks(
        title=title,
        sentence=sentence,
        copy_url=url(COPY),
        signal_text=message(SIGNAL),
        native_url=url(NATIVE),
        email_href=f"mailto:?subject={_quoted(title)}&body={_quoted(message(EMAIL))}",
        whatsapp_href=f"https://wa.me/?text={_quoted(message(WHATSAPP))}",
        telegram_href=(
            f"https://t.me/share/url?url={_quoted(url(TELEGRAM))}&text={_quoted(sentence)}"
        ),
    )


def shown_title(campaign: Campaign, language: Language) -> Shown[str]:
    """Return the campaign's title as a page in language shows it: the translation (in
    its script), or the English standing in (english=True) when it has none."""
    translated = translation_of(content_of(campaign), language.content)
    if translated is not None and translated.title:
        return Shown(in_script(translated.title))
    return Shown(campaign.title, english=not language.is_english)


def title_in(campaign: Campaign, language: Language) -> str:
    """Return the campaign's title in language (its script), or the English when the
    campaign has not translated it."""
    return shown_title(campaign, language).value


def page_title(campaign: Campaign) -> Shown[str]:
    """The campaign's title in the page's language (the templates' `campaign_title`: the
    privacy page's list of campaigns to withdraw from)."""
    return shown_title(campaign, current_language())


def share_links_for(campaign: Campaign) -> ShareLinks:
    """Return the share links of a campaign in the page's language (the templates'
    `share_links`)."""
    language = current_language()
    return share_links(current_app, campaign.slug, title_in(campaign, language), language)


def is_share_ref(ref: str) -> bool:
    """Tell whether a pledge's ref names a share channel rather than a partner."""
    return ref.startswith(SHARE_PREFIX)


def partner_refs(refs: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """Return the (ref, count) pairs that are partners (or direct), in their order."""
    return [(ref, n) for ref, n in refs if not is_share_ref(ref)]


def channel_counts(refs: Iterable[tuple[str, int]]) -> list[tuple[str, str, int]]:
    """Return (channel name, ref, count) for every channel and any other share- ref, most
    pledges first.

    Every channel has its row, with 0 when it brought nobody yet; a share- ref that names
    no channel (typed by hand into an address) keeps its own row, named by the ref.
    """
    counts = {ref: n for ref, n in refs if is_share_ref(ref)}
    rows = [(channel.name, channel.ref, counts.pop(channel.ref, 0)) for channel in CHANNELS]
    rows += [(ref, ref, n) for ref, n in sorted(counts.items())]
    # Stable: equal counts keep the channels' order, then the other refs' alphabetical one.
    return sorted(rows, key=lambda row: -row[2])
