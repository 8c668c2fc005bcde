ORDERS = {"o-1": {"total": 12}, "o-2": {"total": 30}}
