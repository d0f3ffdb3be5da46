"""impact-review: clean, validate, analyse and publish a safeguarding learning tracker."""

__version__ = "0.1.0"
