"""The reader's name of a scored subject: a main index or pillar by its name in the data, the total by the
catalogue's word (`level.total`). Compute names subjects by id only; the words are the site's."""

from __future__ import annotations

from minhbach.load.package import Package
from minhbach.strings import Catalogue


def subject_label(pkg: Package, level: str, sid: str, lang: str, cat: Catalogue) -> str:
    if level == "main_index":
        return str(pkg.t("main_index").set_index("main_index_id").loc[sid, f"name_{lang}"])
    if level == "pillar":
        return str(pkg.t("pillar").set_index("pillar_id").loc[sid, f"name_{lang}"])
    return cat.get(lang, "level.total")
