"""Rules layer: checklist schema and loading, detectors, the one-pass term scanner, checklist examples."""
