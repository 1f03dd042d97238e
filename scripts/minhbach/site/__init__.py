"""Site: the page registry, views, strings, templates and the MkDocs render."""
