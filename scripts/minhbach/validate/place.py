"""The area a package covers, as portals score it: a place IRI from an authority and a bounding box.

`x-spatial` in datapackage.json:
  {"vi": label, "en": label,
   "iso3166-2": "VN-72",                        the province's ISO 3166-2 subdivision code
   "bbox": [west, south, east, north],          WGS84 degrees (longitude, latitude), as the source gives them
   "centroid": [longitude, latitude]}           optional
The place IRI is the code's IRI in the OMG Languages, Countries and Codes (LCC) ISO 3166-2 vocabulary, e.g.
https://www.omg.org/spec/LCC/Countries/Regions/ISO3166-2-SubdivisionCodes-VN/VN-72; without a code the area keeps
a site-local IRI (`#area-<x-province>`). The box is written as a GeoSPARQL WKT polygon (`dcat:bbox`), the form
DCAT-AP 3 and data.europa.eu read.
"""

from __future__ import annotations

import math
import re

from minhbach.errors import Issue

ISO3166_2_LCC = "https://www.omg.org/spec/LCC/Countries/Regions/ISO3166-2-SubdivisionCodes-{country}/{code}"
_CODE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")


def spatial(descriptor: dict) -> dict:
    sp = descriptor.get("x-spatial")
    return sp if isinstance(sp, dict) else {}


def subdivision_code(descriptor: dict) -> str:
    code = spatial(descriptor).get("iso3166-2")
    return code.strip() if isinstance(code, str) else ""


def place_iri(descriptor: dict) -> str | None:
    """The ISO 3166-2 code's IRI, or None without a (well-formed) code."""
    code = subdivision_code(descriptor)
    if not _CODE.fullmatch(code):
        return None
    return ISO3166_2_LCC.format(country=code[:2], code=code)


def _numbers(value, n: int) -> list[float] | None:
    if not isinstance(value, (list, tuple)) or len(value) != n:
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value):
        return None
    return [float(v) for v in value]


def _fmt(v: float) -> str:
    return repr(v) if not v.is_integer() else str(int(v))


def bbox(descriptor: dict) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) in degrees, or None when absent or malformed (validation names it)."""
    box = _numbers(spatial(descriptor).get("bbox"), 4)
    if box is None:
        return None
    w, s, e, n = box
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        return None
    return w, s, e, n


def bbox_wkt(descriptor: dict) -> str | None:
    box = bbox(descriptor)
    if box is None:
        return None
    w, s, e, n = (_fmt(v) for v in box)
    return f"POLYGON(({w} {s},{e} {s},{e} {n},{w} {n},{w} {s}))"


def centroid_wkt(descriptor: dict) -> str | None:
    pt = _numbers(spatial(descriptor).get("centroid"), 2)
    if pt is None or not (-180 <= pt[0] <= 180 and -90 <= pt[1] <= 90):
        return None
    return f"POINT({_fmt(pt[0])} {_fmt(pt[1])})"


def spatial_issues(descriptor: object) -> list[Issue]:
    """A code or a box that would publish a wrong place is refused, not dropped: every key is optional."""
    if not isinstance(descriptor, dict) or "x-spatial" not in descriptor:
        return []
    sp = descriptor["x-spatial"]
    if not isinstance(sp, dict):
        return [
            Issue(
                "spatial-invalid",
                "x-spatial in datapackage.json must be an object",
                file="datapackage.json",
                column="x-spatial",
                value=repr(sp)[:60],
                expected='{"vi": ..., "en": ..., "iso3166-2": "VN-72", "bbox": [west, south, east, north]}',
            )
        ]
    out = []
    if "iso3166-2" in sp and sp["iso3166-2"] not in (None, "") and place_iri(descriptor) is None:
        out.append(
            Issue(
                "spatial-invalid",
                "x-spatial.iso3166-2 is not an ISO 3166-2 subdivision code",
                file="datapackage.json",
                column="x-spatial.iso3166-2",
                value=repr(sp["iso3166-2"])[:60],
                expected="the country code, a hyphen and the subdivision code, e.g. VN-72",
            )
        )
    if "bbox" in sp and sp["bbox"] not in (None, "") and bbox(descriptor) is None:
        out.append(
            Issue(
                "spatial-invalid",
                "x-spatial.bbox is not a bounding box in degrees",
                file="datapackage.json",
                column="x-spatial.bbox",
                value=repr(sp["bbox"])[:80],
                expected="[west, south, east, north] longitude/latitude numbers, west < east and south < north",
            )
        )
    if "centroid" in sp and sp["centroid"] not in (None, "") and centroid_wkt(descriptor) is None:
        out.append(
            Issue(
                "spatial-invalid",
                "x-spatial.centroid is not a point in degrees",
                file="datapackage.json",
                column="x-spatial.centroid",
                value=repr(sp["centroid"])[:80],
                expected="[longitude, latitude]",
            )
        )
    return out
