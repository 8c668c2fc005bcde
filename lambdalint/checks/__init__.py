"""Rule logic written in Python, by kind: ``code/``, ``template/``, ``cross/``.

Importing this package imports every module below it, which registers its checks: adding a rule
is adding its module (and its rule file), nothing else.
"""

import importlib
import pkgutil

for _module in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
    importlib.import_module(_module.name)
