"""Campaign content: read from TOML files, checked once, served as typed, frozen objects.

A campaign's content has three forms:

- the checked mapping `load_campaign_file` returns: the TOML as read, dates as
  `datetime.date`, optional keys filled in;
- the stored mapping, `to_stored(mapping)`: the same with dates as ISO text, as the JSON
  column `Campaign.content` keeps it;
- `CampaignContent`, built by `parse_campaign` (from the TOML form) or
  `parse_stored_campaign` (from the stored form); `content_of(campaign)` builds it once per
  process for each stored content and hands out the same object after that.

Everything is checked when it is parsed, letter material included, so readers of a
`CampaignContent` (the page templates, letter drafting) never check it again.

The optional [translations.<content>] tables (one per content key of languages.toml,
such as [translations.ug]) hold the supporter-facing text in another language, every
field optional; letters stay in English and are explained there (`Translation`).

The bill belongs to a Congress and dies with it. The optional [next_congress] table holds
what the campaign asks once that Congress has ended (`advocacy.campaigns.lifecycle`
decides which ask is in force); none of its text may name the old bill's numbers.

When the House has passed the bill, `bill.house_passed` gives the day, and members of the
House who had no vote on it (the delegates, the resident commissioner, and members sworn
in after that day) get [letter.house_had_no_vote] rather than [letter.house], which thanks
the House for passing it (`advocacy.letters.drafting.recipient_kind` decides).

The package in four parts, each using only those after it: `dump` (`dump_campaign`:
stored content back into the campaign file that loads as it; `dump_table`: one table of
it, for the organizers' editor), `load` (files and stored
rows into objects; `CampaignContentError`; `content_of`), `rules` (`validate_campaign`:
every problem in a campaign's mapping) and `model` (the typed, frozen objects, the
letter material's schema, each table's keys in file order). The names below are its
public face: callers import them from here.
"""

from advocacy.campaigns.content.dump import dump_campaign, dump_table
from advocacy.campaigns.content.load import (
    SHIPPED_DIR,
    CampaignContentError,
    content_of,
    from_stored,
    load_campaign_file,
    parse_campaign,
    parse_stored_campaign,
    shipped_campaign_files,
    to_stored,
)
from advocacy.campaigns.content.model import (
    EVERY_LETTER_KINDS,
    HAD_NO_VOTE,
    KIND_SLOTS,
    LETTER_KEYS,
    OLD_BILL_VARIABLES,
    RECIPIENT_KINDS,
    SHARED_SLOTS,
    TEMPLATE_VARIABLES,
    TITLE_MAX,
    Ask,
    Bill,
    CampaignContent,
    Explanation,
    KindMaterial,
    LetterMaterial,
    NextCongress,
    RecipientKind,
    Source,
    StorySection,
    TimelineEntry,
    TranslatedSection,
    Translation,
)
from advocacy.campaigns.content.rules import LANGUAGE_PATTERN, SLUG_PATTERN, validate_campaign

__all__ = [
    "EVERY_LETTER_KINDS",
    "HAD_NO_VOTE",
    "KIND_SLOTS",
    "LANGUAGE_PATTERN",
    "LETTER_KEYS",
    "OLD_BILL_VARIABLES",
    "RECIPIENT_KINDS",
    "SHARED_SLOTS",
    "SHIPPED_DIR",
    "SLUG_PATTERN",
    "TEMPLATE_VARIABLES",
    "TITLE_MAX",
    "Ask",
    "Bill",
    "CampaignContent",
    "CampaignContentError",
    "Explanation",
    "KindMaterial",
    "LetterMaterial",
    "NextCongress",
    "RecipientKind",
    "Source",
    "StorySection",
    "TimelineEntry",
    "TranslatedSection",
    "Translation",
    "content_of",
    "dump_campaign",
    "dump_table",
    "from_stored",
    "load_campaign_file",
    "parse_campaign",
    "parse_stored_campaign",
    "shipped_campaign_files",
    "to_stored",
    "validate_campaign",
]
