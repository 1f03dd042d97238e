"""Findings: every disagreement between the documents as a structured record, worded later."""
