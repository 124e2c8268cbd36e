import os.path

from shop import Order


class Checkout:
    """Checks an order out."""

    def __init__(self, order: Order):
        self.order = order

    def run(self) -> int:
        self.validate()
        return self.order.total()

    def validate(self) -> bool:
        return os.path.exists("orders")
