from shop.models import Order
from shop.service import Checkout


def main() -> int:
    return Checkout(Order()).run()
