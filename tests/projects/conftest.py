"""The scenario projects here are input data for tests/test_project_scenarios.py, not tests.

sam-app carries its own unit tests (as `sam init` creates them); they import the app's modules and
must not be collected by lambdalint's suite.
"""

collect_ignore_glob = ["*"]
