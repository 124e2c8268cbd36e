def scale(value, factor=2.5):
    """Scales a value.

    :param int value: the value, non-negative
    :param factor: the factor
    :type factor: float
    :returns: the scaled value
    :raises ValueError: when value is negative
    """
    if value < 0:
        raise ValueError("negative")
    return value * factor


def _private(x: int) -> int:
    return x
