"""The call for evidence: a workbook per agency asking whether each recommendation is embedded
and made a difference (request.py), the returned workbooks read and checked (returns.py), and
their answers joined to the cleaned recommendations (merge.py). form.py is the form both sides
share, so what is asked is exactly what is read back."""
