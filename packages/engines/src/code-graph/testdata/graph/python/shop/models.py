class Order:
    """An order of the shop."""

    def total(self) -> int:
        return 1
