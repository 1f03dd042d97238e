"""DCAT-AP 3.0.1 catalogue of the open data: `mapping` turns the published package into a graph, `canonical`
writes it in a fixed order (Turtle, JSON-LD, RDF/XML)."""

from minhbach.publish.catalog.canonical import serialize
from minhbach.publish.catalog.mapping import build_catalog
from minhbach.publish.catalog.terms import temporal_coverage

__all__ = ["build_catalog", "serialize", "temporal_coverage"]
