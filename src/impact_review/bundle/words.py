"""Numbers and lists in the review's house style: "four reviews", "a, b and c"."""

from __future__ import annotations

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def count_phrase(n: int, singular: str, plural: str | None = None) -> str:
    """'four reviews', '15 audits', 'one review': words below ten, as house style prints them."""
    word = NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
    return f"{word} {singular if n == 1 else (plural or singular + 's')}"


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def lower_first(name: str) -> str:
    """A canonical name inside a sentence: 'Policy and procedure' -> 'policy and procedure'."""
    return name[0].lower() + name[1:]
