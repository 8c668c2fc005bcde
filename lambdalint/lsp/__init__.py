"""``lambdalint lsp``: the linter as a Language Server, for editors (see :mod:`lambdalint.lsp.server`)."""
