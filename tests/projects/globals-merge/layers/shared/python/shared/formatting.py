def as_table(rows):
    """Render rows of dicts as a plain-text table."""
    if not rows:
        return ""
    columns = sorted({key for row in rows for key in row})
    lines = [" | ".join(columns)]
    lines.extend(" | ".join(str(row.get(column, "")) for column in columns) for row in rows)
    return "\n".join(lines)
