"""The site context: what every stage of a build needs to know about the site it makes, made once by `build`
and passed down explicitly (no stage reads a module-level default).

- **Languages** come from one place, `site_src/languages.yml` (so they travel with the catalogues and templates,
  also in a wheel): the first listed is the default language, at `/`; each other at `/<locale>/`. The build writes
  them into the staged mkdocs.yml (the i18n plugin's `languages`, the theme's `language`); mkdocs.yml lists none.
  Adding a language is an entry there plus a catalogue folder `site_src/strings/<locale>/` with every key of the
  others: a key missing in one language fails by name (`strings._compare`), it never falls back silently.
- **site_src** is the project's own folder when it has one, else the copy shipped inside the package (a wheel
  install), so a project's templates and words always win over the shipped ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minhbach import strings
from minhbach.strings import LANGUAGES_FILE, Catalogue, languages  # noqa: F401 (the site's languages)


def shipped_site_src() -> Path:
    """The site sources shipped with minhbach: `minhbach/site_src` in a wheel, `site_src/` in a source checkout."""
    here = Path(__file__).resolve().parent
    inside = here / "site_src"
    return inside if inside.is_dir() else here.parents[1] / "site_src"


def site_src(project: Path) -> Path:
    own = Path(project) / "site_src"
    return own if own.is_dir() else shipped_site_src()


def catalogue(project: Path) -> Catalogue:
    """The string catalogue of a project folder (its own site_src, else the shipped one), in its languages."""
    return strings.load(site_src(Path(project)))


def program_catalogue() -> Catalogue:
    """The words shipped with minhbach, for what runs outside a build of a project (workbook tools, release
    notes, tests); a build uses its own project's catalogue (`Site.cat`)."""
    return strings.load(shipped_site_src())


@dataclass(frozen=True)
class Site:
    """One build's site: made once by `build.build_site`, handed to the stages that word, link or lay out pages."""

    project: Path
    site_src: Path
    config_file: Path
    cat: Catalogue
    base_url: str = ""
    preview: bool = False
    identity: Any = None  # publish.reuse.Identity: publisher, province names, licence, per language
    registries: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # pages, charts, finding kinds

    @property
    def langs(self) -> tuple[str, ...]:
        return self.cat.langs

    @property
    def default_lang(self) -> str:
        return self.cat.langs[0]

    def prefix(self, lang: str) -> str:
        """The folder of a language's pages under the site root: '' for the default language, else 'en/'."""
        return "" if lang == self.default_lang else f"{lang}/"


def make(project: Path, base_url: str = "", preview: bool = False, **kw: Any) -> Site:
    project = Path(project).resolve()
    return Site(
        project=project,
        site_src=site_src(project),
        config_file=project / "mkdocs.yml",
        cat=catalogue(project),
        base_url=base_url,
        preview=preview,
        **kw,
    )
