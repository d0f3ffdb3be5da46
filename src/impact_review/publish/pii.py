"""Finding personal data in tracker free text, so that none of it reaches a published file.

A finding says what kind of data was found and where, never what the text was: findings go into
logs, manifests and error messages. Identifiers are found by pattern, checked where they carry a
checksum (NHS numbers). Names cannot be found by pattern, so three layers stand in for a model
(bad-inputs-and-safety.md, section 3):

1. a restricted deny-list of the real names in the reviews, always reported;
2. a first name from config/first-names.txt, a title or an initial, then a capitalised word;
3. an allow-list of the partnership's own vocabulary (taxonomy.yaml and config/pii-allow.yaml)
   and of pseudonyms ("Child S", "Mother of Child K") that keeps layer 2 quiet on tracker prose.

Trade-offs, chosen to fail closed on names and to stay quiet on ordinary tracker prose:
- A name needs two words: "Sarah Jones", "Mrs Patel" and "J. Smith" are found; "Sarah attended"
  is not, nor a name in capitals ("SARAH JONES"), nor an initial after a capitalised word
  ("Contact J Smith", read like "Plan B Funding"). The deny-list catches known names in any form.
- First names that are also words (Grace, Hope, Mark, Will, Amber ...) stay in the list. "Will
  the Board consider" passes because "the" is not capitalised, and "Will Sussex Police attend"
  because "Sussex Police" is allowed; "Grace Smith" is still found.
- A surname that is an allowed word is missed ("Theresa May", "Sarah Hastings"); a title is
  only excused when the whole span is allowed, so "Mrs May" and "Mr Hastings" are found.
- Anything else shaped like a name is flagged for a person to judge: streets and schools named
  after people ("Rose Hill School", "Georgia Road"), public figures and the names of published
  national reviews ("Peter Connelly"). Add the ones the partnership publishes to the allow file.
- An NHS, NI or phone number, a postcode or a date must stand alone: a letter or a digit joined
  to it makes it part of something longer ("ab9434765919cd", "REF-9434765919X", "9434765919f3").
  The report prints its own provenance (the input's sha256, a commit id), and about one sha256
  digest in 170 holds a run of ten digits that passes the NHS check; read alone it would refuse
  the report at random. Rendered text is also scanned with such generated tokens masked (see
  mask_generated_tokens).
- Phone numbers are the UK's 01/02/03/07 numbers in their usual groupings, so dates, years,
  money and references ("SCR-2016-03", "page 12 of 30") never look like one. Freephone and
  premium numbers (08, 09) and foreign numbers are not looked for.
- A postcode-shaped code is excused only when it is clearly a reference: joined to a longer
  code ("SCR-R12 3AB"), or right after "ref", "reference", "rec", "recommendation", "action" or
  "item" (with an optional "no."/"number"/"#"/":"). A lower-case ordinal ("KS2 1st") is excused.
- An NI number's letters must share one case ("AB 12 34 56 C", "ab123456c"), which keeps mixed
  prose such as "at 10 11 12 A" out.
- A date counts as a date of birth when a cue (DOB, d.o.b, born, date of birth, aged) comes at
  most five words before it or one word after it ("01/02/2012 (DOB)"), so "On 01/02/2012 Child
  S, aged 4, ..." passes. A bare year ("born in 2011") is not a date.
- Text extracted from a rendered PDF wraps lines, so a phone number or a name may run across one
  line break.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml
from stdnum.gb import nhs

from impact_review.intake.taxonomy import Taxonomy, default_taxonomy, normalise_key
from impact_review.partnership import configured_folder, load_partnership
from impact_review.paths import DENY_NAMES_FILE, FIRST_NAMES_FILE, PII_ALLOW_FILE, REPORT_TEMPLATE

PiiKind = Literal[
    "nhs_number",
    "ni_number",
    "postcode",
    "phone",
    "email",
    "date_of_birth",
    "person_name",
    "deny_listed",
]


@dataclass(frozen=True)
class Finding:
    """Personal data of one kind at text[start:end]. Holds no text, so its repr leaks none."""

    kind: PiiKind
    start: int
    end: int


@dataclass(frozen=True)
class FrameFinding:
    """A tracker cell that holds personal data of one kind: the row's id and the column."""

    rec_id: str
    column: str
    kind: PiiKind


@dataclass(frozen=True)
class TermIndex:
    """Phrases matched word by word on normalised keys; its repr gives the count, not the terms."""

    by_first_word: Mapping[str, tuple[tuple[str, ...], ...]] = field(repr=False)
    terms: int


@dataclass(frozen=True)
class PiiRules:
    """What the name detectors know: allowed vocabulary, denied names, first names."""

    allowed: TermIndex
    denied: TermIndex
    first_names: frozenset[str] = field(repr=False)


# --- Loading the rules -------------------------------------------------------------------------

_SPACES = r"[ \t\u00a0]"
# Tracker text repeats its words: each word's key is worked out once, up to this many words.
WORDS_REMEMBERED = 1 << 17
_TERM_WORD = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")


def _folded(text: str) -> str:
    """The text without accents: "Zoë" -> "Zoe"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=WORDS_REMEMBERED)
def _folded_word(word: str) -> str:
    return _folded(word)


@lru_cache(maxsize=WORDS_REMEMBERED)
def _word_key(word: str) -> str:
    """A word's key as the term index keys its phrases' words."""
    return _folded(normalise_key(word))


def _word_keys(phrase: str) -> tuple[str, ...]:
    return tuple(_folded(normalise_key(phrase)).split())


def term_index(terms: Iterable[str]) -> TermIndex:
    """An index of phrases by their first word, longest phrase first."""
    grouped: dict[str, set[tuple[str, ...]]] = {}
    for term in terms:
        keys = _word_keys(term)
        if keys:
            grouped.setdefault(keys[0], set()).add(keys)
    by_first_word = {
        first: tuple(sorted(phrases, key=lambda p: (-len(p), p)))
        for first, phrases in grouped.items()
    }
    return TermIndex(by_first_word, sum(len(p) for p in by_first_word.values()))


def taxonomy_terms(taxonomy: Taxonomy) -> list[str]:
    """Every spelling of every agency, area of learning, theme and source type."""
    vocabularies = (taxonomy.agencies, taxonomy.areas, taxonomy.themes, taxonomy.source_types)
    return [
        spelling
        for vocabulary in vocabularies
        for entry in vocabulary.entries
        for spelling in [
            entry["name"],
            entry.get("short"),
            entry.get("label"),
            *entry.get("aliases", []),
        ]
        if spelling
    ]


def allow_file_terms(path: Path) -> list[str]:
    """The entries of every list in an allow file (see config/pii-allow.yaml)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    terms = [term for entries in data.values() for term in entries]
    if not all(isinstance(term, str) for term in terms):
        raise ValueError(f"{path.name}: every entry must be a string")
    return terms


_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)


def report_headings(report: Path = REPORT_TEMPLATE) -> list[str]:
    """The review's own section headings: its words, never a person's. In a PDF's text a
    table's last cell runs on into the next heading, and a RAG colour such as Amber is also a
    first name."""
    headings = _HEADING.findall(report.read_text(encoding="utf-8"))
    return [heading for heading in headings if "{{<" not in heading]


def listed_lines(path: Path) -> list[str]:
    """The non-blank lines of a one-entry-a-line file, without "#" comments."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def load_pii_rules(
    taxonomy: Taxonomy,
    allow_file: Path | None,
    deny_file: Path | None,
    first_names_file: Path = FIRST_NAMES_FILE,
    partnership_allow_file: Path | None = None,
) -> PiiRules:
    """The rules for one run. A deny file that is named but missing is an error, never a pass."""
    allowed = taxonomy_terms(taxonomy) + report_headings()
    for path in (allow_file, partnership_allow_file):
        allowed += allow_file_terms(path) if path else []
    denied = listed_lines(deny_file) if deny_file else []
    first_names = frozenset(_folded(name) for name in listed_lines(first_names_file))
    return PiiRules(term_index(allowed), term_index(denied), first_names)


def default_pii_rules() -> PiiRules:
    """The rules of the configuration in force: the project's allow list and the partnership's,
    and the restricted deny-list when the partnership has supplied one."""
    return _rules_for(configured_folder())


@cache
def _rules_for(folder: Path) -> PiiRules:
    deny_file = DENY_NAMES_FILE if DENY_NAMES_FILE.exists() else None
    own = load_partnership(folder).pii_allow_file
    return load_pii_rules(default_taxonomy(), PII_ALLOW_FILE, deny_file, partnership_allow_file=own)


# --- Identifiers -------------------------------------------------------------------------------

# An identifier stands alone: no letter or digit joined to either end of it.
_ALONE_BEFORE = r"(?<![^\W_])"
_ALONE_AFTER = r"(?![^\W_])"

_NHS_CANDIDATE = re.compile(
    rf"{_ALONE_BEFORE}\d{{3}}(?:{_SPACES}|-)?\d{{3}}(?:{_SPACES}|-)?\d{{4}}{_ALONE_AFTER}"
)

_NI_NUMBER = re.compile(
    rf"{_ALONE_BEFORE}(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    rf"{_SPACES}?\d{{2}}{_SPACES}?\d{{2}}{_SPACES}?\d{{2}}{_SPACES}?[A-D]{_ALONE_AFTER}",
    re.IGNORECASE,
)

_POSTCODE = re.compile(
    r"\b(?:GIR|[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRV-Y]))"
    rf"{_SPACES}?(?P<inward>\d[ABD-HJLNP-UW-Z]{{2}})\b",
    re.IGNORECASE,
)
_REFERENCE_BEFORE = re.compile(
    r"(?:[-/#_]|\b(?:ref|reference|rec|recommendation|action|item)\.?\s*(?:no\.?|number)?"
    r"\s*[#:]?\s*)$",
    re.IGNORECASE,
)
_REFERENCE_AFTER = re.compile(r"[-/]\w")
_ORDINAL = re.compile(r"1st|2nd|3rd|\dth")

_SEP = r"(?:\s{1,2}|-)?"
_PHONE = re.compile(
    r"(?<![\w+/.-])(?:\+44" + _SEP + r"(?:\(0\)" + _SEP + r")?|\(?0)"
    r"(?:7\d{3}\)?" + _SEP + r"\d{3}" + _SEP + r"\d{3}"  # 07700 900123, 07700 900 123
    r"|1\d{3}\)?" + _SEP + r"\d{5,6}"  # 01323 464222, 01323 46422
    r"|1\d{3}\)?" + _SEP + r"\d{3}" + _SEP + r"\d{3}"  # 01273 481 000
    r"|1\d{4}\)?" + _SEP + r"\d{4,5}"  # 015396 21234
    r"|1\d{2}\)?" + _SEP + r"\d{3}" + _SEP + r"\d{4}"  # 0117 496 0123
    r"|2\d\)?" + _SEP + r"\d{4}" + _SEP + r"\d{4}"  # 020 7946 0123
    r"|3\d{2}\)?" + _SEP + r"\d{3}" + _SEP + r"\d{4})"  # 0300 123 4567
    rf"(?![\w/]|[.,]\d|{_SEP}\d)"
)

_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w-])"
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
    r"|\d{4}-\d{1,2}-\d{1,2}"
    rf"|{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+\d{{4}})?"
    rf"|{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?"
    rf"|{_MONTH}\s+\d{{4}})(?!\w)",
    re.IGNORECASE,
)
_BIRTH_CUE = re.compile(r"\b(?:d\.?o\.?b\b\.?|date\s+of\s+birth|born|aged)(?!\w)", re.IGNORECASE)
WORDS_BEFORE_DATE = 5
WORDS_AFTER_DATE = 1


def nhs_numbers(text: str) -> Iterator[Finding]:
    """Ten digits (3-3-4, spaced or not) that pass the NHS mod-11 check."""
    for match in _NHS_CANDIDATE.finditer(text):
        if nhs.is_valid(re.sub(r"\D", "", match.group())):
            yield Finding("nhs_number", *match.span())


def ni_numbers(text: str) -> Iterator[Finding]:
    """National Insurance numbers with a prefix HMRC issues (NIM39110) and suffix A-D."""
    for match in _NI_NUMBER.finditer(text):
        letters = re.sub(r"[^A-Za-z]", "", match.group())
        if letters.isupper() or letters.islower():
            yield Finding("ni_number", *match.span())


def _is_reference(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 30) : match.start()]
    after = text[match.end() : match.end() + 2]
    return bool(_REFERENCE_BEFORE.search(before) or _REFERENCE_AFTER.match(after))


def postcodes(text: str) -> Iterator[Finding]:
    """UK postcodes (BS 7666 shapes), unless the code is clearly a tracker reference."""
    for match in _POSTCODE.finditer(text):
        inward = match.group("inward")
        if inward.islower() and _ORDINAL.fullmatch(inward):
            continue
        if not _is_reference(text, match):
            yield Finding("postcode", *match.span())


def phone_numbers(text: str) -> Iterator[Finding]:
    """UK landline (01, 02, 03) and mobile (07) numbers, national or +44, spaced or dashed."""
    for match in _PHONE.finditer(text):
        yield Finding("phone", *match.span())


def email_addresses(text: str) -> Iterator[Finding]:
    for match in _EMAIL.finditer(text):
        yield Finding("email", *match.span())


def _words_between(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def dates_of_birth(text: str) -> Iterator[Finding]:
    """Dates with a birth cue shortly before (or just after) them: "DOB 01/02/2012"."""
    cues = [cue.span() for cue in _BIRTH_CUE.finditer(text)]
    if not cues:
        return
    for date in _DATE.finditer(text):
        if any(
            (end <= date.start() and _words_between(text, end, date.start()) <= WORDS_BEFORE_DATE)
            or (start >= date.end() and _words_between(text, date.end(), start) <= WORDS_AFTER_DATE)
            for start, end in cues
        ):
            yield Finding("date_of_birth", *date.span())


# --- Names -------------------------------------------------------------------------------------

_PSEUDONYM = re.compile(
    r"\b(?:(?:Mother|Father|Parent|Carer|Step-?(?:mother|father)|Grand(?:mother|father)"
    r"|Sibling|Brother|Sister)s? of )?"
    r"(?:Child|Children|Sibling|Baby|Young Person|Family)s? [A-Z]{1,2}"
    r"(?:(?:, | ?& ?| and )[A-Z]{1,2})*\b"
)
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_GAP = re.compile(rf"(?=\s){_SPACES}*\r?\n?{_SPACES}*")
_GAP_AFTER_ABBREVIATION = re.compile(rf"\.?(?=\s){_SPACES}*\r?\n?{_SPACES}*")
_SPACES_ONLY = re.compile(rf"{_SPACES}+")
TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr"})
# Capitalised in title-case headings ("Bill Of Rights"), never a surname.
FUNCTION_WORDS = frozenset(
    {"A", "An", "And", "As", "At", "Be", "But", "By", "For", "From", "In", "Into", "Is", "It"}
    | {"Its", "Of", "On", "Or", "Our", "The", "Their", "This", "To", "With"}
)

Span = tuple[int, int]


def _is_capitalised(word: str) -> bool:
    """Jones, McDonald, O'Brien, Smith-Jones; not IMRs, DSL or a lone initial."""
    if len(word) < 2 or not word[0].isupper():
        return False
    return word[1].islower() or (word[1] in "'’" and len(word) > 2 and word[2].isupper())


def _is_initial(word: str) -> bool:
    return len(word) == 1 and word.isupper()


def term_spans(text: str, index: TermIndex) -> list[Span]:
    """Every span of text that is one of the index's phrases; a plural or possessive "s" is
    allowed on any word."""
    if not index.terms:
        return []
    words = list(_TERM_WORD.finditer(text))
    keys = [_word_key(word.group()) for word in words]
    spans = []
    for i, key in enumerate(keys):
        firsts = {key, key.removesuffix("s"), key.removesuffix("es")}
        for phrase in (p for first in firsts for p in index.by_first_word.get(first, ())):
            following = keys[i : i + len(phrase)]
            if len(following) == len(phrase) and all(
                k in (w, w + "s", w + "es") for k, w in zip(following, phrase, strict=True)
            ):
                spans.append((words[i].start(), words[i + len(phrase) - 1].end()))
    return spans


def _within_any(span: Span, spans: Iterable[Span]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in spans)


def _surname_after(text: str, words: Sequence[re.Match[str]], i: int) -> re.Match[str] | None:
    """The capitalised word right after words[i], past any initials ("Sarah J. Jones")."""
    for previous, word in pairwise(words[i:]):
        abbreviated = previous.group() in TITLES or _is_initial(previous.group())
        gap = _GAP_AFTER_ABBREVIATION if abbreviated else _GAP
        if not gap.fullmatch(text, previous.end(), word.start()):
            return None
        if not _is_initial(word.group()):
            capitalised = _is_capitalised(word.group()) and word.group() not in FUNCTION_WORDS
            return word if capitalised else None
    return None


def _is_label(text: str, words: Sequence[re.Match[str]], i: int) -> bool:
    """Whether words[i] is a letter that labels the capitalised word before it ("Plan B")."""
    if i == 0 or not words[i - 1].group()[0].isupper():
        return False
    return bool(_SPACES_ONLY.fullmatch(text, words[i - 1].end(), words[i].start()))


def _name_lead(text: str, words: Sequence[re.Match[str]], i: int, rules: PiiRules) -> str | None:
    """What makes words[i] the start of a name: a title, a first name or an initial ("J. Smith")."""
    word = words[i].group()
    if word in TITLES:
        return "title"
    if _folded_word(word) in rules.first_names:
        return "first name"
    if not _is_initial(word):
        return None
    dotted = text.startswith(".", words[i].end())
    if _is_initial(word) and (dotted or word not in "AI") and not _is_label(text, words, i):
        return "initial"
    return None


def person_names(text: str, rules: PiiRules) -> Iterator[Finding]:
    """A title, a first name or an initial followed by a capitalised word that is not allowed."""
    words = list(_NAME_WORD.finditer(text))
    shaped = []  # (lead word, what makes it one, surname): most texts have none to excuse
    for i, word in enumerate(words):
        lead = _name_lead(text, words, i, rules)
        surname = _surname_after(text, words, i) if lead else None
        if surname is not None:
            shaped.append((word, lead, surname))
    if not shaped:
        return
    pseudonyms = [match.span() for match in _PSEUDONYM.finditer(text)]
    allowed = term_spans(text, rules.allowed) + pseudonyms
    for word, lead, surname in shaped:
        if _within_any(word.span(), pseudonyms):
            continue
        span = (word.start(), surname.end())
        # A title is strong evidence: only a wholly allowed span ("Dr Barnardo's") excuses it.
        excused = lead != "title" and _within_any(surname.span(), allowed)
        if not excused and not _within_any(span, allowed):
            yield Finding("person_name", *span)


def deny_listed_names(text: str, rules: PiiRules) -> Iterator[Finding]:
    for span in term_spans(text, rules.denied):
        yield Finding("deny_listed", *span)


# --- Generated tokens --------------------------------------------------------------------------

# What the project and its tools print about themselves: hex digests (sha256 has 64 characters, a
# git commit id 40) and their abbreviations (git shows 7 to 12), which mix letters and digits.
_HEX_TOKEN = re.compile(rf"{_ALONE_BEFORE}[0-9a-f]{{7,64}}{_ALONE_AFTER}", re.IGNORECASE)
FULL_DIGEST_LENGTHS = frozenset({40, 64})
# An ASCII text mask_generated_tokens can change holds one of these (an RE2 pattern, see
# screened): a token it masks mixes digits and hex letters, so a digit is next to one somewhere,
# or is a full digest.
GENERATED_TOKEN_SCREEN = r"[0-9][A-Fa-f]|[A-Fa-f][0-9]|[0-9A-Fa-f]{40}"


def _is_generated_token(token: str) -> bool:
    """A hex token that can only be a digest or commit id, not an identifier written in hex
    letters ("ab123456c" is an NI number, "ec1a1bb" a postcode)."""
    mixed = not token.isdigit() and not token.isalpha()
    if not (mixed or len(token) in FULL_DIGEST_LENGTHS):
        return False
    return not (_NI_NUMBER.fullmatch(token) or _POSTCODE.fullmatch(token))


def mask_generated_tokens(text: str) -> str:
    """The text with each digest or commit id replaced by as many "x"s, so offsets still hold.

    The stand-alone rule already keeps identifiers out of these tokens; masking them as well keeps
    any future pattern from reading the report's provenance. A number written alone, which has no
    letters and is not 40 or 64 digits long, is never masked.
    """
    return _HEX_TOKEN.sub(
        lambda match: (
            "x" * len(match.group()) if _is_generated_token(match.group()) else match.group()
        ),
        text,
    )


# --- Putting it together -----------------------------------------------------------------------


def _merged(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in text order, overlapping findings of one kind joined ("Mrs Sarah Jones")."""
    merged: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.kind, f.start, f.end)):
        last = merged[-1] if merged else None
        if last and last.kind == finding.kind and finding.start < last.end:
            merged[-1] = Finding(last.kind, last.start, max(last.end, finding.end))
        else:
            merged.append(finding)
    return sorted(merged, key=lambda f: (f.start, f.end, f.kind))


def find_personal_data(text: str, rules: PiiRules | None = None) -> list[Finding]:
    """Every piece of personal data found in one text, in text order."""
    rules = rules or default_pii_rules()
    return _merged(
        [
            *nhs_numbers(text),
            *ni_numbers(text),
            *postcodes(text),
            *phone_numbers(text),
            *email_addresses(text),
            *dates_of_birth(text),
            *person_names(text, rules),
            *deny_listed_names(text, rules),
        ]
    )


def kinds_found(text: str, rules: PiiRules | None = None) -> tuple[PiiKind, ...]:
    """The kinds of personal data in one text, each once, in the order find_personal_data first
    finds them."""
    return tuple(dict.fromkeys(finding.kind for finding in find_personal_data(text, rules)))


# --- Many texts at once ------------------------------------------------------------------------

# A published listing holds a million texts, nearly all of them references, dates and agency
# names. Each pattern above costs microseconds a text in Python; a screen run by RE2 over all the
# texts at once (pyarrow) passes on only those that could hold a finding. Its patterns are looser
# than the detectors' (no lookarounds, no checksums, no allow-list), and only read ASCII text,
# whose classes both engines agree on: any other text is always passed on.

# Python's \s among ASCII characters (str.isspace), spelled out for RE2, whose \s is narrower.
ASCII_SPACE = r"\t-\r\x1c-\x1f "
_IDENTIFIER_SCREENS = (
    # NHS and phone numbers: ten digits or more, at most three spaces, brackets or dashes apart.
    rf"[0-9](?:[{ASCII_SPACE}()-]{{0,3}}[0-9]){{9}}",
    r"[A-Za-z]{2}[ \t]?[0-9]{2}[ \t]?[0-9]{2}[ \t]?[0-9]{2}[ \t]?[A-Za-z]",  # NI numbers
    r"[A-Za-z][A-Za-z0-9]{1,3}[ \t]?[0-9][A-Za-z]{2}",  # postcodes: outward, inward code
    "@",  # email addresses
    r"(?i:d\.?o\.?b|birth|born|aged)",  # a date of birth needs its cue
)


def screened(texts: Sequence[str], pattern: str) -> np.ndarray:
    """For each text, whether it is not all ASCII or holds a match of an RE2 pattern."""
    array = pa.array(texts, type=pa.large_string(), from_pandas=True)
    if not len(array):
        return np.zeros(0, dtype=bool)
    passed = pc.or_(pc.invert(pc.string_is_ascii(array)), pc.match_substring_regex(array, pattern))
    return passed.to_numpy(zero_copy_only=False)


@cache
def _screen(first_names: frozenset[str], denied_first_words: tuple[str, ...]) -> str:
    """The screen's RE2 pattern for these first names and deny-listed first words."""
    # A name's lead (a title, a first name or an initial) is a whole word: no letter comes
    # before it. Its surname or next initial is capitalised, with only a dot and spaces or one
    # line break between them. A first name that is not ASCII never leads in ASCII text.
    leads = sorted({*(name for name in first_names if name.isascii()), *TITLES})
    lead = "|".join([*map(re.escape, leads), "[A-Z]"])
    names = rf"(?:^|[^A-Za-z])(?:{lead})\.?[\t\n\r ]+[A-Z]"
    # An ASCII word's key is its letters and digits in lower case, apostrophes dropped; a denied
    # phrase's first key ([0-9a-z]+, see normalise_key) starts it.
    denied = ["(?i:" + "'*".join(word) + ")" for word in denied_first_words]
    return "|".join([*_IDENTIFIER_SCREENS, names, *denied])


def could_hold_personal_data(texts: Sequence[str], rules: PiiRules | None = None) -> np.ndarray:
    """For each text, whether find_personal_data might find anything in it: where this is False
    it finds nothing (tests/unit/test_pii.py plants every kind to hold it to that)."""
    rules = rules or default_pii_rules()
    return screened(texts, _screen(rules.first_names, tuple(sorted(rules.denied.by_first_word))))


def kinds_in_texts(
    texts: Sequence[str], rules: PiiRules | None = None
) -> list[tuple[PiiKind, ...]]:
    """kinds_found for each text: the full scan runs only on the texts the screen passes, once
    for each distinct one."""
    rules = rules or default_pii_rules()
    kinds: list[tuple[PiiKind, ...]] = [()] * len(texts)
    known: dict[str, tuple[PiiKind, ...]] = {}
    for i in np.flatnonzero(could_hold_personal_data(texts, rules)):
        if texts[i] not in known:
            known[texts[i]] = kinds_found(texts[i], rules)
        kinds[i] = known[texts[i]]
    return kinds


def as_text(values: pd.Series) -> pd.Series:
    """Each value as the text a scan reads (str of it), missing values left missing."""
    if pd.api.types.is_string_dtype(values):
        return values
    return values.where(values.isna(), values.astype(str))


def scan_frame(
    frame: pd.DataFrame,
    columns: Sequence[str],
    id_column: str = "rec_id",
    rules: PiiRules | None = None,
) -> list[FrameFinding]:
    """Each (row id, column, kind) with personal data, once, in row then column order. Each
    distinct text of a column is scanned once, whichever rows hold it."""
    missing = [column for column in (id_column, *columns) if column not in frame.columns]
    if missing:
        raise KeyError(f"scan_frame: the frame has no column {', '.join(missing)}")
    rules = rules or default_pii_rules()
    cells: list[tuple[int, int, tuple[PiiKind, ...]]] = []  # (row, column, kinds) with findings
    for place, column in enumerate(columns):
        values, distinct = pd.factorize(as_text(frame[column]))  # a missing value is -1
        kinds = kinds_in_texts(list(distinct), rules)
        with_findings = np.flatnonzero([bool(found) for found in kinds])
        for row in np.flatnonzero(np.isin(values, with_findings)):
            cells.append((int(row), place, kinds[values[row]]))
    ids = frame[id_column].to_numpy()
    found: dict[FrameFinding, None] = {}
    for row, place, kinds in sorted(cells, key=lambda cell: cell[:2]):
        for kind in kinds:
            found.setdefault(FrameFinding(str(ids[row]), columns[place], kind))
    return list(found)
