"""The comparison review: several single-period reviews read side by side.

It reads what earlier runs published (each label's processed recommendations, manifest and
lineage) and recomputes nothing from raw data: periods.py finds and checks them, tables.py
computes the comparison, words.py says what changed, bundle.py writes what compare.qmd shows.
"""
