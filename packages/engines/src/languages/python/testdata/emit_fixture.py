"""A module whose vectors emit-pytest.test.ts writes by hand, emits as a pytest suite and runs."""

import datetime
import random
from dataclasses import dataclass


class ParseError(Exception):
    pass


@dataclass
class Money:
    cents: int
    currency: str = "EUR"


class Counter:
    def __init__(self):
        self.count = 0

    def bump(self, by: int = 1) -> int:
        self.count += by
        return self.count


def identity(value):
    return value


def add(a: int, b: int = 1, *, scale: int = 1) -> int:
    return (a + b) * scale


def divide(a: float, b: float) -> float:
    return a / b


def parse(text: str) -> int:
    if not text.isdigit():
        raise ParseError("not a number: " + text)
    return int(text)


def kinds():
    return [(1, "a"), {3, 1, 2}, {1: "one"}, {"k": None}, 2**70, float("nan"), -0.0, b"\x00\xff",
            datetime.date(2024, 2, 29), Money(5), True]


def mean(values: list) -> float:
    """Mean of values.

    >>> mean([1, 2])
    1.5
    """
    return sum(values) // len(values)


def initials(name: str) -> str:
    return "".join(word[0].upper() for word in name.split(" "))


def total(amounts: list) -> int:
    return sum(amounts) if amounts else None


def scale(x: float) -> float:
    return x * 1e308


def dedupe(items: list) -> list:
    seen = set()
    for item in list(items):
        if item in seen:
            items.remove(item)
        seen.add(item)
    return items


def roll() -> float:
    return random.random()


def spin(n: int) -> int:
    while n >= 0:
        pass
    return n
