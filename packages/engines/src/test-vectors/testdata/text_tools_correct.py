from dataclasses import dataclass


def mean(values: list[float]) -> float:
    """Arithmetic mean.

    Raises:
        ValueError: when values is empty

    >>> mean([1, 2, 3])
    2.0
    """
    if not values:
        raise ValueError("mean of an empty list")
    return sum(value / len(values) for value in values)


def initials(name: str) -> str:
    """Upper-case initials of the words in name.

    >>> initials("ada lovelace")
    'AL'
    """
    return "".join(word[0].upper() for word in name.split())


def dedupe(items: list[int]) -> list[int]:
    """Items without duplicates, in first-seen order."""
    seen = set()
    result = []
    for item in items:
        if item not in seen:
            seen.add(item)
            result.append(item)
    return result


@dataclass
class Money:
    cents: int
    currency: str = "EUR"


def total(amounts: list[Money]) -> int:
    """Sum of the amounts in cents.

    >>> total([])
    0
    """
    return sum(amount.cents for amount in amounts)
