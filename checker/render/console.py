"""The rich Console every command prints through.

Text from documents and file names reaches the terminal without escape sequences or control characters (issue 13).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.segment import Segment

from checker.text.sanitize import for_terminal


class SafeConsole(Console):
    """A Console that removes escape sequences and control characters from the text it prints.

    Only text segments are cleaned; rich's own styling and control segments (colours,
    cursor movement of progress bars) are rendered from styles afterwards, so they stay.
    """

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        clean = (seg if seg.control else Segment(for_terminal(seg.text), seg.style, seg.control) for seg in buffer)
        return super()._render_buffer(clean)

