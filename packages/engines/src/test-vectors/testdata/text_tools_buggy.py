from dataclasses import dataclass


def mean(values: list[float]) -> float:
    """Arithmetic mean.

    Raises:
        ValueError: when values is empty

    >>> mean([1, 2, 3])
    2.0
    """
    return sum(values) / len(values)


def initials(name: str) -> str:
    """Upper-case initials of the words in name.

    >>> initials("ada lovelace")
    'AL'
    """
    return "".join(word[0].upper() for word in name.split(" "))


def dedupe(items: list[int]) -> list[int]:
    """Items without duplicates, in first-seen order."""
    seen = set()
    for item in list(items):
        if item in seen:
            items.remove(item)
        seen.add(item)
    return items


@dataclass
class Money:
    cents: int
    currency: str = "EUR"


def total(amounts: list[Money]) -> int:
    """Sum of the amounts in cents.

    >>> total([])
    0
    """
    return sum(amount.cents for amount in amounts) if amounts else None
