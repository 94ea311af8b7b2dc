"""Text layer: decoding bytes to text and normalising it for matching (no knowledge of reports)."""
