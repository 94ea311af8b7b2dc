"""Renderers: each turns engine results into one output format, separate from detection."""
