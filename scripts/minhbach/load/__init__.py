"""Load: the descriptor, the CSVs typed by the schema, the source texts. Judges nothing."""
