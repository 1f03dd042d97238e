"""Public addresses checked before any work: the site's base URL (`--base-url`, `homepage` in datapackage.json,
`site_url` in mkdocs.yml) and the other addresses the descriptor publishes (`x-contact.url`).

An address is written into every page head, feed, sitemap and catalogue IRI, so a bad one either breaks the build
deep inside MkDocs or rdflib or lands in a page as markup. One rule: an absolute `https://` address with a host
(`http://` only for a loopback preview: 127.0.0.1, localhost, ::1), no user name, no query or fragment, and no
character that ends an attribute or a line (quotes, `<`, `>`, a backslash, a backtick, spaces, control characters).
Each refusal is one `bad-address` Issue naming where the value came from, the value escaped, and what is expected.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from urllib.parse import urlsplit

from minhbach.errors import Issue

EXPECTED = (
    "an absolute https:// address with a host, e.g. https://dti.example.org/ "
    "(http:// only for a preview on 127.0.0.1, localhost or ::1)"
)
LICENCE_EXPECTED = "an absolute https:// or http:// address, e.g. https://creativecommons.org/licenses/by/4.0/"
# what ends an HTML attribute, a Markdown link, a YAML scalar or a line, or is invisible
_FORBIDDEN = re.compile(r"[\"'<>\\`\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_LOOPBACK_NAMES = {"localhost"}
# the unspecified address a `serve --host 0.0.0.0` preview is built for: never a public address either
_ANY = {"0.0.0.0", "::"}
# private networks (RFC 1918, unique-local IPv6): an office LAN, never the internet; documentation ranges are not
_PRIVATE = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "fe80::/10")
)


def problem(value: object, any_http: bool = False) -> str | None:
    """Why `value` cannot be a public address (a short phrase), or None when it can. `any_http`: an address of
    someone else's (a licence) may be http:// on any host."""
    if not isinstance(value, str):
        return f"it is a JSON {type(value).__name__}, not text"
    m = _FORBIDDEN.search(value)
    if m:
        return f"it holds {_char_name(m.group())} at position {m.start() + 1}"
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        return f"it cannot be read as an address ({exc})"
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        return f"its scheme is {parts.scheme + ':' if parts.scheme else 'missing'}, not https://"
    if not value.lower().startswith(f"{scheme}://"):
        return f"it is not absolute ({scheme}: must be followed by //)"
    if "@" in parts.netloc:
        return "it holds a user name or password before '@'"
    host = parts.hostname or ""
    if not host:
        return "it has no host"
    if port == 0:
        return "its port is 0"
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        return "it holds a query (?) or a fragment (#)"
    if scheme == "http" and not any_http and not loopback(host):
        return "http:// is accepted only for a preview on 127.0.0.1, localhost, ::1 or a private-network address"
    return None


def loopback(host: str) -> bool:
    """A preview host: this machine, or an address of a private network (a phone on the office Wi-Fi reading
    `serve --host 192.168.1.20`), never reachable from the internet, so never a public address."""
    host = host.strip("[]").lower()
    if host in _LOOPBACK_NAMES or host in _ANY:
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or any(ip in net for net in _PRIVATE if ip.version == net.version)


def _char_name(ch: str) -> str:
    names = {" ": "a space", "\n": "a line break", "\r": "a carriage return", "\t": "a tab"}
    if ch in names:
        return names[ch]
    if ch.isprintable() and not ch.isspace():
        return f"the character {ch!r}"
    return f"the invisible character U+{ord(ch):04X}"


def issue(
    value: object, file: str, column: str | None = None, any_http: bool = False, expected: str = EXPECTED
) -> Issue | None:
    """One `bad-address` Issue for the address at file/column (file "--base-url" for the option), or None."""
    why = problem(value, any_http)
    if why is None:
        return None
    where = f"{column} in {file}" if column else file
    return Issue(
        "bad-address",
        f"{where} is not a usable public address: {why}",
        file=file,
        column=column,
        value=value if isinstance(value, str) else repr(value),
        expected=expected,
    )


_EMAIL = re.compile(r"(mailto:)?[^@\s\"'<>\\`()\[\],;:]+@[^@\s\"'<>\\`()\[\],;:/?#]+\.[^@\s\"'<>\\`()\[\],;:/?#.]+")


def email_issue(value: object) -> Issue | None:
    """The contact email becomes a mailto: IRI in the catalogue and an address in the feeds."""
    if isinstance(value, str) and _EMAIL.fullmatch(value) and not _FORBIDDEN.search(value):
        return None
    return Issue(
        "bad-address",
        "x-contact.email in datapackage.json is not a usable email address",
        file="datapackage.json",
        column="x-contact.email",
        value=value if isinstance(value, str) else repr(value),
        expected="one address such as dti@example.org (no spaces, quotes, <> or a second @)",
    )


def descriptor_issues(descriptor: object) -> list[Issue]:
    """The addresses datapackage.json publishes; an empty or absent one is a preview, not an error."""
    if not isinstance(descriptor, dict):
        return []
    found: list[Issue | None] = []
    if descriptor.get("homepage") not in (None, ""):
        found.append(issue(descriptor["homepage"], "datapackage.json", "homepage"))
    contact = descriptor.get("x-contact")
    if isinstance(contact, dict) and contact.get("url") not in (None, ""):
        found.append(issue(contact["url"], "datapackage.json", "x-contact.url"))
    if isinstance(contact, dict) and contact.get("email") not in (None, ""):
        found.append(email_issue(contact["email"]))
    licences = descriptor.get("licenses")
    for n, lic in enumerate(licences if isinstance(licences, list) else []):
        path = lic.get("path") if isinstance(lic, dict) else None
        # a licence given by address (not a file of the package) becomes the catalogue's licence IRI
        if isinstance(path, str) and re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", path):
            found.append(
                issue(path, "datapackage.json", f"licenses[{n}].path", any_http=True, expected=LICENCE_EXPECTED)
            )
    return [i for i in found if i is not None]


def serve_issue(host: str) -> Issue | None:
    """`serve` builds a package without a public address for the origin it serves: only a loopback one is a
    preview address (an http:// site on another host would pass for a public one)."""
    if loopback(host):
        return None
    return Issue(
        "bad-address",
        f"serve --host {host} would build the site for http://{host}:PORT/, which is neither https:// nor a "
        "loopback preview; serve on 127.0.0.1 (the default) or give --base-url https://...",
        file="--host",
        value=host,
        expected=EXPECTED,
    )


def config_site_url(config_file: Path) -> str | None:
    """`site_url` of mkdocs.yml as written (quotes removed), or None."""
    try:
        text = config_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        if line.startswith("site_url:"):
            return line.split(":", 1)[1].strip().strip("'\"") or None
    return None


_LOOPBACK_URL = re.compile(r"^https?://(localhost|127(\.\d+){3}|0\.0\.0\.0|\[::1?\])([:/]|$)", re.I)


def is_preview(base_url: str | None) -> bool:
    """A build without a public address: missing, not http(s), or loopback. Such a build is never published."""
    u = str(base_url or "").strip()
    if not u or not u.lower().startswith(("http://", "https://")) or bool(_LOOPBACK_URL.match(u)):
        return True
    return loopback(urlsplit(u).hostname or "")


def contact_issue(base_url: str | None, descriptor: object) -> Issue | None:
    """A public build (a public address from `--base-url` or the package's `homepage`) without a contact email:
    portals list a dataset with nobody to write to, and DCAT-AP asks for one. None when the build may go on
    (an address is given with an email, or the build is a preview, which only warns)."""
    d = descriptor if isinstance(descriptor, dict) else {}
    address = base_url or d.get("homepage")
    if is_preview(address if isinstance(address, str) else None):
        return None
    contact = d.get("x-contact")
    email = contact.get("email") if isinstance(contact, dict) else None
    if isinstance(email, str) and email.strip():
        return None
    return Issue(
        "missing-contact-email",
        "a public build needs a contact email for data portals: fill in x-contact.email in datapackage.json "
        "(or build a preview, without --base-url and homepage)",
        file="datapackage.json",
        column="x-contact.email",
        value=str(address),
        expected="an address the publisher answers, e.g. opendata@example.gov.vn",
    )


def build_issues(base_url: str | None, descriptor: object, config_file: Path | None = None) -> list[Issue]:
    """Every address a build would publish: the option, the descriptor's, and mkdocs.yml's site_url; and, for a
    public build, the contact email the catalogue names."""
    found: list[Issue | None] = []
    if base_url is not None:
        found.append(issue(base_url, "--base-url"))
    out = [i for i in found if i is not None] + descriptor_issues(descriptor)
    if config_file is not None:
        site_url = config_site_url(config_file)
        if site_url is not None:
            bad = issue(site_url, config_file.name, "site_url")
            if bad is not None:
                out.append(bad)
    if not out:
        out += [i for i in [contact_issue(base_url, descriptor)] if i is not None]
    return out
