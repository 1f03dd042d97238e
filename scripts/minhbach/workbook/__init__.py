"""The Excel workbook staff fill in: a template generated from the package, and its import back to CSV.

`make_template` (template.py) writes one sheet per resource: row 1 holds the machine field names (the
importer reads them, so they stay, in grey), row 2 a bilingual header, the current data from row 3.
`import_workbook` (importer.py) reads every sheet back (read.py, cells.py) into CSV text in the
repository's exact format, merges it with the table (diff.py), validates it on a temporary copy of the
package, reports every problem by sheet, Excel row and column (issues.py), and only when there is none
replaces the CSV files in data/, all or none (commit.py). Every word comes from the `workbook` strings.

Conventions kept by both directions:
- text stays text (cells are typed as strings, formatted "@"), NFC-normalised on import;
- numbers are numbers: integers without ".0", other numbers in the shortest form that round-trips;
  a number that did not change keeps the exact text it had in the CSV;
- booleans are the text "true"/"false" chosen from a drop-down (not Excel's TRUE/FALSE, which
  localised Excel may show differently); Excel booleans typed by hand are accepted too;
- rows keep the order they have in the repository; new rows are appended in workbook order, so
  sorting or filtering the sheet in Excel does not rewrite the file.

The names the CLI, release.py and the tests use are gathered in api.py; this file imports nothing, so no module
of the package depends on another through it.
"""
