"""Canonical serialisation of the catalogue graph: the same graph always gives byte-identical Turtle, JSON-LD
and RDF/XML (rdflib lists triples and namespaces in set order, which changes with PYTHONHASHSEED)."""

from __future__ import annotations

import json

from rdflib import Graph

from minhbach.publish.catalog.terms import PREFIXES


class _SortedGraph(Graph):
    """A graph whose unpatterned subject/predicate listings come sorted (rdflib's memory store lists every
    triple in set order, which changes with PYTHONHASHSEED); patterned look-ups follow insertion order."""

    def subjects(self, predicate=None, object=None, unique=False):
        if predicate is None and object is None:
            yield from sorted(set(super().subjects()), key=lambda n: n.n3())
        else:
            yield from super().subjects(predicate, object, unique)

    def predicates(self, subject=None, object=None, unique=False):
        if subject is None and object is None:
            yield from sorted(set(super().predicates()), key=lambda n: n.n3())
        else:
            yield from super().predicates(subject, object, unique)


def _canonical(graph: Graph) -> Graph:
    """A copy whose triples are inserted in sorted order, so serializers iterate in a fixed order."""
    out = _SortedGraph()
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, ns, override=True, replace=True)
    for t in sorted(graph, key=lambda t: tuple(x.n3() for x in t)):
        out.add(t)
    return out


def _sort_json(x):
    if isinstance(x, dict):
        return {k: (v if k == "@list" else _sort_json(v)) for k, v in x.items()}
    if isinstance(x, list):
        items = [_sort_json(v) for v in x]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return x


def _sort_xmlns(text: str) -> str:
    """rdflib declares RDF/XML namespaces in set order; put the xmlns lines of the root element in sorted order."""
    head, sep, rest = text.partition("<rdf:RDF\n")
    if not sep:
        return text
    decl, close, body = rest.partition("\n>\n")
    lines = decl.split("\n")
    if close and all(line.strip().startswith("xmlns:") for line in lines):
        decl = "\n".join(sorted(lines))
    return head + sep + decl + close + body


def serialize(graph: Graph, fmt: str) -> str:
    """Turtle ("turtle"), JSON-LD ("json-ld") or RDF/XML ("xml"); the same graph always gives the same text."""
    g = _canonical(graph)
    if fmt in ("turtle", "ttl"):
        return g.serialize(format="turtle")
    if fmt in ("json-ld", "jsonld"):
        context = {p: str(ns) for p, ns in sorted(PREFIXES.items())}
        doc = json.loads(g.serialize(format="json-ld", context=context, auto_compact=True))
        return json.dumps(_sort_json(doc), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if fmt in ("xml", "rdf", "rdf/xml", "pretty-xml"):
        return _sort_xmlns(g.serialize(format="pretty-xml"))
    raise ValueError(f"unknown RDF format {fmt!r} (turtle, json-ld, xml)")
