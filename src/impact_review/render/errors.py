"""The one exception every render failure raises, so the pipeline has a single thing to catch."""

from __future__ import annotations


class RenderError(Exception):
    """The bundle cannot be rendered; the message names the file and the shortcode or feature."""
