"""Order handlers; ``list_orders`` is small enough to live in the package itself."""

from handlers.orders.store import ORDERS


def list_orders(event, context):
    return {"orders": sorted(ORDERS)}
