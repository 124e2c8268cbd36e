import typing
from dataclasses import dataclass
from datetime import datetime
from enum import Enum, auto
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Sequence, TypedDict, Union, overload


class Options(TypedDict):
    verbose: bool


class Pair(NamedTuple):
    left: int
    right: int


class Mode(Enum):
    FAST = auto()


def shapes(a: Union[int, str], b: "list[int]", c: tuple[int, str], d: tuple[float, ...], e: frozenset[str],
           f: Mapping[str, float], g: bytes, h: Callable[[int], int], j: Any, k: object, when: datetime,
           opts: Options, pair: int | str | None, seq: Sequence[str], it: Iterable[int], mode: Mode,
           *args: int, flag: bool = False, limit: int, **kwargs) -> typing.Optional[int]:
    return None


def usage(a, b, c, d, e, f, g, h, name, idx, lst, mystery, ratio=0.5, tags=[]):
    a.strip()
    b.append(1)
    for _ in range(c):
        pass
    d["key"]
    e + 1
    f * 2
    len(g)
    for item in h:
        pass
    return mystery


def clean(items: list[int], *, reverse: bool = False, key: str = "id") -> list[int]:
    """Sorted copy of items; does not modify the input.
    Args:
        items: the values to sort,
            non-empty.
        reverse: descending when true

    Returns:
        a new list

    >>> clean([2, 1], key="x")
    [1, 2]
    >>> clean(items=[3])
    [3]
    >>> clean([1], reverse=some_flag)
    [1]
    >>> print(clean([1]))
    [1]
    >>> sorted(clean([{"a": 1,
    ...     "b": 2}]))
    """
    return sorted(items, reverse=reverse)


def tally(words: list[str]) -> dict[str, int]:
    """Counts words.

    Parameters
    ----------
    words : list of str
        the words: one per entry
        (duplicates are counted)

    Returns
    -------
    dict
        word -> count

    Raises
    ------
    TypeError
        when a word is not a string
    KeyError

    Examples
    --------
    >>> tally(["a", "b",
    ...        "a"])
    {'a': 2,
     'b': 1}
    """
    return {}


class Account:
    def __init__(self, owner):
        self.owner = owner

    def deposit(self, amount: int) -> int:
        return amount

    @classmethod
    def open(cls, owner: str) -> "Account":
        """Opens an account.

        >>> Account.open("ada").owner
        'ada'
        """
        return cls(owner)


@dataclass
class Settings:
    depth: int = 1

    def deeper(self, by: int) -> int:
        """Modifies the settings in place.

        >>> Settings().deeper(2)
        3
        >>> Settings.deeper(Settings(), 2)
        3
        """
        self.depth += by
        return self.depth


@overload
def convert(value: int) -> str: ...
@overload
def convert(value: str) -> str: ...
def convert(value):
    return str(value)
