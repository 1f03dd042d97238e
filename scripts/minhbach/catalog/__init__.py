"""DCAT-AP 3.0.1 catalogue of the open data: `mapping` turns the published package into a graph, `canonical`
writes it in a fixed order (Turtle, JSON-LD, RDF/XML)."""

from .canonical import serialize
from .mapping import build_catalog
from .terms import temporal_coverage

__all__ = ["build_catalog", "serialize", "temporal_coverage"]
