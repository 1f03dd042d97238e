"""Publish: open data (releases, workbooks, catalogue, feeds, reuse bundles) from the built views."""
