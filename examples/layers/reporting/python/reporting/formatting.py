"""Plain-text formatting shared by the reports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date


def money(amount: float, currency: str = "EUR") -> str:
    return f"{amount:,.2f} {currency}"


def summary_message(day: date, rows: Iterable[Mapping], location: str) -> str:
    rows = list(rows)
    lines = [f"Orders on {day:%A %d %B %Y}", ""]
    if not rows:
        lines.append("No orders.")
    for row in rows:
        lines.append(f"  {row['status']:<12} {int(row['orders']):>6} orders  {money(float(row['revenue'])):>16}")
    total_orders = sum(int(row["orders"]) for row in rows)
    total_revenue = sum(float(row["revenue"]) for row in rows)
    lines += ["", f"  {'TOTAL':<12} {total_orders:>6} orders  {money(total_revenue):>16}", "", f"Files: {location}"]
    return "\n".join(lines)
