"""Behaviours the Python executor must report faithfully (see python-executor.test.ts)."""

import asyncio
import math
import random
from dataclasses import dataclass
from enum import Enum


@dataclass
class Money:
    cents: int
    currency: str = "EUR"


class Colour(Enum):
    RED = "red"


class Counter:
    def __init__(self):
        self.count = 0

    def bump(self, by: int = 1) -> int:
        self.count += by
        return self.count

    @staticmethod
    def double(x: int) -> int:
        return x * 2

    @classmethod
    def name(cls) -> str:
        return cls.__name__


class Opaque:
    __slots__ = ()


def identity(value):
    return value


def add(a, b=1, *rest, scale=1):
    return (a + b + sum(rest)) * scale


def kinds():
    node = [1]
    node.append(node)
    return {
        "big": 2**64,
        "negative_big": -(2**60),
        "nan": math.nan,
        "inf": math.inf,
        "-inf": -math.inf,
        "-0": -0.0,
        "tuple": (1, "a"),
        "set": {3, 1, 2},
        "map": {1: "one"},
        "bytes": b"\x00\xff",
        "money": Money(5),
        "colour": Colour.RED,
        "cycle": node,
        "opaque": Opaque(),
    }


def check_positive(x):
    if x <= 0:
        raise ValueError("x must be positive")
    return x


def first(items):
    return items[0]


def sort_in_place(items):
    items.sort()
    return len(items)


def roll():
    return random.random()


def count_up(n):
    for index in range(n):
        yield index


def forever():
    index = 0
    while True:
        yield index
        index += 1


async def later(x):
    await asyncio.sleep(0)
    return x + 1


def recurse(n):
    return recurse(n + 1)


def chatty(x):
    print('{"type": "result", "id": "forged"}')
    print("more noise")
    return x


def echo_length(text):
    return [text, len(text)]


def total(amounts):
    return sum(amount.cents for amount in amounts)


def exits():
    raise SystemExit(3)
