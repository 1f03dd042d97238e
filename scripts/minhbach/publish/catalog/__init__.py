"""DCAT-AP 3.0.1 catalogue of the open data: `mapping` turns the published package into a graph, `canonical`
writes it in a fixed order (Turtle, JSON-LD, RDF/XML),
`terms` holds the vocabularies and `temporal_coverage`."""
