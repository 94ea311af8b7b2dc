"""File-system layer: writing outputs atomically (and, later, finding input files)."""
