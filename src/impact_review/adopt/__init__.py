"""Adopting the review for another partnership: `impact-review init` drafts a configuration
folder (partnership.yaml, taxonomy.yaml) and a draft report from the partnership's own tracker.

headers.py says which field each header means, values.py groups the spellings of a vocabulary,
rag.py reads what the RAG colours mean, taxonomy_file.py writes the draft, report.py explains it,
and draft.py puts them together."""
