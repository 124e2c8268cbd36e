"""Module doc."""
import os.path
import numpy as np
from .models import Order as O, Item
from . import util
from ..x import *

TABLE = "orders"

class OrderService(Base, abc.ABC):
    """Places orders.

    More detail.
    """
    rate = 3

    def __init__(self, repo: Repo):
        self.repo = repo

    @app.get("/orders")
    def place(self, order: Order) -> Receipt:
        """Place one."""
        if order.total > 0 and order.ok:
            return self.repo.save(Receipt(order))
        rows = self.db.execute("""
            SELECT id FROM orders
            JOIN items ON items.order_id = orders.id""")
        return [r for r in rows if r]

    def _private(self):
        pass

def _helper():
    def inner(): pass
    return os.path.join("a")
