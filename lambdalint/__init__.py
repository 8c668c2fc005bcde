"""lambdalint: a static analyzer and policy linter for AWS Lambda projects."""

__version__ = "0.1.0"
