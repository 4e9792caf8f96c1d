"""Make the Uyghur pages' font: Noto Sans Arabic cut down to what Uyghur text uses, as WOFF2.

Usage: python scripts/subset_font.py [--source DIR] [--out DIR] [--unicode-range]

Reads NotoSansArabic-Regular.ttf and -Bold.ttf (Debian's fonts-noto-core puts them in
/usr/share/fonts/truetype/noto/; SIL Open Font License 1.1, no reserved font name, so a
subset may keep the name) and writes static/fonts/noto-sans-arabic-ug-{regular,bold}.woff2.
The result is committed: the app needs no font tool at run time. Run it again only to
change the characters below, then paste the printed unicode-range into
static/css/lang-ug.css (tests/web/test_page_weight.py checks the two agree).

What is kept, and why: the characters in CODEPOINTS, exactly (below), and every glyph the
font's layout tables reach from them (all OpenType features, so joining forms, ligatures
such as lam-alef and mark positioning still work: Arabic letters take their initial,
medial and final shapes through GSUB, not through the presentation-form code points).
Hinting is dropped (browsers on phones ignore it; it is a third of the file).

Needs fontTools and Brotli (the dev extra: `pip install -e '.[dev]'`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path("/usr/share/fonts/truetype/noto")
OUT = ROOT / "static" / "fonts"
WEIGHTS = {"regular": "NotoSansArabic-Regular.ttf", "bold": "NotoSansArabic-Bold.ttf"}

# The Uyghur alphabet in Arabic script (UEY), in its order, and the hamza carrier ئ that
# starts every word beginning with a vowel.
LETTERS = ("ا ە ب پ ت ج چ خ د ر ز ژ س ش غ ف ق ك گ ڭ ل م ن ھ و ۇ ۆ ۈ ۋ ې ى ي ئ").split()
# The same text may come decomposed (ى + combining hamza above) from some keyboards.
MARKS = ["\u0654"]
# Arabic comma, semicolon and question mark; percent, decimal and thousands signs; the
# tatweel some headings stretch with; the guillemets Uyghur quotes with.
PUNCTUATION = ["،", "؛", "؟", "٪", "٫", "٬", "ـ", "«", "»"]
# Joiners and direction marks inside Arabic-script runs: ZWNJ, ZWJ, LRM, RLM, and the
# Arabic letter mark. Zero width, but the font must map them or shaping breaks the run.
CONTROLS = ["\u200c", "\u200d", "\u200e", "\u200f", "\u061c"]
# The space and no-break space, so a run of Uyghur words is shaped in one font (the CSS
# unicode-range leaves them out: a Latin page's spaces never fetch this font).
SPACES = [" ", "\u00a0"]

CODEPOINTS: tuple[int, ...] = tuple(
    sorted({ord(c) for c in LETTERS + MARKS + PUNCTUATION + CONTROLS + SPACES})
)


def unicode_range(codepoints: tuple[int, ...] = CODEPOINTS) -> str:
    """Return the CSS unicode-range for these code points, spaces left out, ranges merged."""
    kept = [cp for cp in codepoints if chr(cp) not in SPACES]
    ranges: list[tuple[int, int]] = []
    for cp in kept:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return ", ".join(
        f"U+{start:04X}" if start == end else f"U+{start:04X}-{end:04X}" for start, end in ranges
    )


def make(source: Path, out: Path) -> list[Path]:
    """Write the WOFF2 subsets of both weights into `out`; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for weight, filename in WEIGHTS.items():
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]  # every GSUB/GPOS feature: joining, marks, ligatures
        options.hinting = False
        options.desubroutinize = True  # smaller after Brotli
        options.name_IDs = ["*"]  # keep the copyright and licence names (OFL 2)
        options.name_languages = ["*"]
        options.notdef_outline = True
        font = subset.load_font(str(source / filename), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=CODEPOINTS)
        subsetter.subset(font)
        target = out / f"noto-sans-arabic-ug-{weight}.woff2"
        subset.save_font(font, str(target), options)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="folder of the TTFs")
    parser.add_argument("--out", type=Path, default=OUT, help="where the WOFF2 files go")
    parser.add_argument(
        "--unicode-range", action="store_true", help="print the CSS unicode-range and stop"
    )
    args = parser.parse_args(argv)
    if args.unicode_range:
        print(unicode_range())
        return 0
    for path in make(args.source, args.out):
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
            f"{path.stat().st_size} bytes"
        )
    print(f"unicode-range: {unicode_range()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
