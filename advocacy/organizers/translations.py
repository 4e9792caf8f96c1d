"""How far each shipped translation can be trusted, for the organizers' dashboard.

Every catalogue says in its header who reviewed it (`X-Reviewer-Status`): until a native
speaker has, the organizers see "awaiting review" beside the languages it serves, and can
decide whether to point supporters at those pages yet. Supporters are never shown it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from advocacy.i18n.catalogues import AWAITING_REVIEW, language_status
from advocacy.i18n.languages import TRANSLATIONS, Language, languages


@dataclass(frozen=True, slots=True)
class CatalogueStatus:
    catalogue: str
    languages: tuple[Language, ...]
    status: str

    @property
    def awaiting_review(self) -> bool:
        return self.status in ("", AWAITING_REVIEW)


def statuses(folder: Path = TRANSLATIONS) -> list[CatalogueStatus]:
    """Each catalogue with the languages served from it and its reviewer status."""
    served: dict[str, list[Language]] = {}
    for language in languages():
        if not language.is_english:
            served.setdefault(language.catalogue, []).append(language)
    return [
        CatalogueStatus(catalogue, tuple(served_from), language_status(served_from[0], folder))
        for catalogue, served_from in served.items()
    ]
