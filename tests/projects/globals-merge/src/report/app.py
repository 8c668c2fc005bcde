from shared.formatting import as_table


def handler(event, context):
    rows = event.get("rows", [])
    return {"report": as_table(rows)}
