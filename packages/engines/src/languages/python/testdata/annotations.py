from dataclasses import dataclass
from enum import Enum
from typing import Optional, Literal

class Color(Enum):
    RED = "red"
    GREEN = "green"

@dataclass
class Point:
    x: int
    y: float = 0.0

def mean(values: list[float], weights: Optional[dict[str, int]] = None, mode: Literal["a", "b"] = "a", c: Color = Color.RED, p: Point | None = None) -> float:
    """Average of values.

    Args:
        values: the numbers, non-empty
        weights (dict): optional weights
    Returns:
        the mean
    Raises:
        ValueError: when values is empty

    >>> mean([1, 2,
    ...       3])
    2.0
    >>> mean([])
    Traceback (most recent call last):
    ValueError: empty
    """
    return sum(values) / len(values)

def shout(name, times=2):
    return name.upper() * times

def numpy_style(a, b=1.5):
    """Adds.

    Parameters
    ----------
    a : int
        first, must be positive
    b : float
        second

    Raises
    ------
    ValueError
        when a is negative
    """
    return a + b

class Stack:
    def push(self, item: int) -> None:
        """Adds an item in place."""
    @staticmethod
    def make(n: int) -> "Stack":
        return Stack()
