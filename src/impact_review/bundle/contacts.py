"""The partnership's public contacts and links, declared in the narrative file's front matter.

    contacts:
      - organisation: Northshire County Council
        role: Single Point of Advice (SPoA)
        about: if you think a child is being harmed or may be at risk of harm
        hours: Monday to Friday, 8.30am to 5pm
        phone: 01632 960000          # or a list of numbers
        email: spoa@northshire.example.org
        url: https://...

Only organisation is required. These are an organisation's published numbers and addresses, so
they are published as written; the same numbers or addresses anywhere else (tracker text,
returned evidence) are still personal data to the scan, and anything in the contacts the scan
would read as a person's name still stops the run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from impact_review.errors import InputError, Location
from impact_review.markdown import escape_markdown

FIELDS = ("organisation", "role", "about", "hours", "phone", "email", "url")
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{5,}[0-9]")
_EMAIL = re.compile(r"[^@\s<>()\[\]]+@[^@\s<>()\[\]]+\.[A-Za-z]{2,}")
_URL = re.compile(r"https?://[^\s<>()\[\]\"']+")


@dataclass(frozen=True)
class PublicContact:
    organisation: str
    role: str = ""
    about: str = ""
    hours: str = ""
    phones: tuple[str, ...] = ()
    email: str = ""
    url: str = ""

    @property
    def published_values(self) -> tuple[str, ...]:
        """The numbers and addresses this contact publishes, as written."""
        return tuple(value for value in (*self.phones, self.email, self.url) if value)


@dataclass(frozen=True)
class EntryPlace:
    """Where a contact entry is, for a refusal: the narrative file and the entry's number."""

    source: Path
    number: int

    def refuse(self, problem: str) -> InputError:
        return InputError(f"contacts entry {self.number}: {problem}", Location(file=self.source))


def _text(entry: dict, name: str, place: EntryPlace) -> str:
    value = entry.get(name, "")
    if not isinstance(value, str | int):
        raise place.refuse(f"field {name!r} must be text")
    return " ".join(str(value).split())


def _checked(value: str, pattern: re.Pattern[str], what: str, place: EntryPlace) -> str:
    if value and not pattern.fullmatch(value):
        raise place.refuse(f"{value!r} is not {what}")
    return value


def contact_from(entry: object, number: int, source: Path) -> PublicContact:
    """One contact entry, checked; an entry that cannot be published as given is refused."""
    place = EntryPlace(source, number)
    if not isinstance(entry, dict):
        raise place.refuse("each contact is a mapping of organisation, role, ...")
    unknown = sorted(set(entry) - set(FIELDS))
    if unknown:
        raise place.refuse(
            f"unknown field(s) {', '.join(unknown)}; the fields are {', '.join(FIELDS)}"
        )
    if not _text(entry, "organisation", place):
        raise place.refuse("a contact needs its organisation")
    phones = entry.get("phone", [])
    phones = [phones] if isinstance(phones, str | int) else phones
    if not isinstance(phones, list):
        raise place.refuse("phone must be a number or a list of numbers")
    return PublicContact(
        organisation=_text(entry, "organisation", place),
        role=_text(entry, "role", place),
        about=_text(entry, "about", place),
        hours=_text(entry, "hours", place),
        phones=tuple(_checked(str(p).strip(), _PHONE, "a phone number", place) for p in phones),
        email=_checked(_text(entry, "email", place), _EMAIL, "an email address", place),
        url=_checked(_text(entry, "url", place), _URL, "a web address", place),
    )


def contacts_from(meta: dict, source: Path) -> tuple[PublicContact, ...]:
    """The narrative front matter's contacts, checked (none when it declares none)."""
    declared = meta.get("contacts") or []
    if not isinstance(declared, list):
        raise InputError("contacts: must be a list", Location(file=source))
    return tuple(contact_from(entry, n, source) for n, entry in enumerate(declared, start=1))


def _tel(phone: str) -> str:
    digits = re.sub(r"[^0-9+]", "", phone)
    return f"+44{digits[1:]}" if digits.startswith("0") else digits


def contact_markdown(contact: PublicContact) -> str:
    """One contact as a list item: who, for what, when, and how to reach them, as links."""
    name = contact.role or contact.organisation
    title = f"[{escape_markdown(name)}]({contact.url})" if contact.url else escape_markdown(name)
    parts = [f"**{title}**"]
    if contact.role:
        parts[0] += f" ({escape_markdown(contact.organisation)})"
    if contact.about:
        parts[0] += f": {escape_markdown(contact.about)}"
    if contact.hours:
        parts.append(f"Open {escape_markdown(contact.hours)}")
    if contact.phones:
        numbers = [f"[{escape_markdown(p)}](tel:{_tel(p)})" for p in contact.phones]
        parts.append("Phone " + " or ".join(numbers))
    if contact.email:
        parts.append(f"Email [{escape_markdown(contact.email)}](mailto:{contact.email})")
    if contact.url:
        parts.append(f"<{contact.url}>")
    return "- " + ". ".join(parts) + ".\n"


NO_CONTACTS = (
    "::: {.callout-warning}\n## Contacts not given\n\nThe period's narrative file declares no "
    "contacts: a reader worried about a child needs the partnership's numbers here.\n:::\n"
)


def contacts_passage(contacts: tuple[PublicContact, ...]) -> str:
    if not contacts:
        return NO_CONTACTS
    return "".join(contact_markdown(contact) for contact in contacts)
