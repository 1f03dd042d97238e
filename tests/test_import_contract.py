"""The import contract (issue 19): stages import downward only, no cycles, no module over 400 lines, and no import
hidden inside a function unless the allow-list below names it with its reason.

Read from the source with `ast` (nothing is imported): every `import minhbach…` and `from minhbach… import …`, at
module level or inside a function, is an edge; importing `a.b.c` is also an edge to the packages `a.b` and `a`
(their `__init__` runs first), and `from a.b import c` is an edge to `a.b.c` when `c` is a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
MAX_LINES = 400

# lowest first; a module imports only its own layer or a lower one. A prefix names a module and everything under it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "foundation",
        (
            "minhbach",  # the package's own __init__
            "minhbach.errors",
            "minhbach.numbers",
            "minhbach.escape",
            "minhbach.address",
            "minhbach.atomic",
            "minhbach.cache",
            "minhbach.strings",  # the string catalogues: every stage that words something reads them
            "minhbach.fmt",  # numbers, dates and units per language: charts and pages print the same way
        ),
    ),
    ("load", ("minhbach.load",)),
    ("validate", ("minhbach.validate",)),
    ("compute", ("minhbach.compute",)),
    ("findings", ("minhbach.findings",)),
    ("charts", ("minhbach.charts",)),
    ("site", ("minhbach.site",)),
    ("publish", ("minhbach.publish",)),
    ("tools", ("minhbach.workbook", "minhbach.release", "minhbach.dictionary", "minhbach.new")),
    ("orchestration", ("minhbach.build", "minhbach.stages", "minhbach.bench", "minhbach.national")),
    ("cli", ("minhbach.cli", "minhbach.__main__")),
]

# (importing module, imported module) -> why the import waits inside a function. Nothing else may.
LAZY_ALLOWED: dict[tuple[str, str], str] = {
    **{
        ("minhbach.build", m): "a no-change rebuild compares its fingerprint before it loads pandas, Altair or MkDocs"
        for m in ("minhbach.stages", "minhbach.strings", "minhbach.findings.run", "minhbach.validate.run")
    },
    ("minhbach.build", "minhbach.workbook.commit"): "the import recovery (openpyxl) only once a build is needed",
    **{
        ("minhbach.cli", m): "each subcommand loads only what it runs: `minhbach build` with nothing changed stays fast"
        for m in (
            "minhbach.address",
            "minhbach.atomic",
            "minhbach.bench",
            "minhbach.build",
            "minhbach.dictionary",
            "minhbach.new",
            "minhbach.publish.run",
            "minhbach.release",
            "minhbach.strings",
            "minhbach.validate.run",
            "minhbach.workbook.api",
            "minhbach.workbook.commit",
            "minhbach.workbook.template",
        )
    },
}


def modules(scripts: Path) -> dict[str, Path]:
    """Dotted name -> file of every module under scripts/minhbach (a package by its __init__.py)."""
    out = {}
    for f in sorted((scripts / "minhbach").rglob("*.py")):
        parts = list(f.relative_to(scripts).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = f
    return out


def _packages_above(name: str, known: dict[str, Path]) -> set[str]:
    """Every package above a module (their __init__ runs first), as far as they are ours."""
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts)) if ".".join(parts[:i]) in known}


def _base(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


Edge = tuple[int, bool, bool]  # line, inside a function, implied (a package whose module the line imports)


def imports(name: str, path: Path, known: dict[str, Path]) -> list[tuple[str, Edge]]:
    """(imported module, (line, inside a function, implied)) for every import of one of ours in `path`."""
    is_package = path.name == "__init__.py"
    out: list[tuple[str, Edge]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            direct: set[str] = set()
            if isinstance(child, ast.Import):
                direct = {a.name for a in child.names if a.name in known}
            elif isinstance(child, ast.ImportFrom):
                base = _base(name, is_package, child)
                direct = {f"{base}.{a.name}" for a in child.names if f"{base}.{a.name}" in known}
                if base in known and any(f"{base}.{a.name}" not in known for a in child.names):
                    direct.add(base)  # a name defined in the package's __init__
                if base in known and not direct:
                    direct.add(base)
            implied = set().union(*(_packages_above(d, known) for d in direct)) - direct if direct else set()
            for target in sorted(direct | implied):
                if target != name:
                    out.append((target, (child.lineno, in_function, target not in direct)))
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), False)
    return out


def graph(scripts: Path) -> tuple[dict[str, Path], dict[tuple[str, str], list[Edge]]]:
    known = modules(scripts)
    edges: dict[tuple[str, str], list[Edge]] = {}
    for name, path in known.items():
        for target, edge in imports(name, path, known):
            edges.setdefault((name, target), []).append(edge)
    return known, edges


def cycles(nodes, edges) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative), each sorted; implied edges
    count (importing `a.b.c` runs `a/b/__init__.py`)."""
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in sorted(edges):
        succ[a].append(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(succ[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ[w])))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    x = stack.pop()
                    on_stack.discard(x)
                    comp.append(x)
                    if x == v:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return sorted(found)


def layer_of(module: str) -> int | None:
    best = None  # the longest prefix decides; `minhbach` alone is only the package's own __init__
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            hit = module == p or (p != "minhbach" and module.startswith(p + "."))
            if hit and (best is None or len(p) > best[0]):
                best = (len(p), i)
    return None if best is None else best[1]


def upward(edges) -> list[str]:
    out = []
    for (a, b), where in sorted(edges.items()):
        la, lb = layer_of(a), layer_of(b)
        lines = [line for line, _, implied in where if not implied]
        if la is not None and lb is not None and lb > la and lines:
            out.append(f"{a} ({LAYERS[la][0]}) imports {b} ({LAYERS[lb][0]}) at line {', '.join(map(str, lines))}")
    return out


def lazy_not_allowed(edges) -> list[str]:
    out = []
    for (a, b), where in sorted(edges.items()):
        lazy = [line for line, inside, implied in where if inside and not implied]
        if lazy and (a, b) not in LAZY_ALLOWED:
            out.append(f"{a} imports {b} inside a function at line {', '.join(map(str, lazy))}")
    return out


# ------------------------------------------------------------------ the contract on the real package


def test_every_module_has_a_layer():
    known, _ = graph(SCRIPTS)
    assert [m for m in known if layer_of(m) is None] == [], "add the module to LAYERS in tests/test_import_contract.py"


def test_no_import_cycles():
    known, edges = graph(SCRIPTS)
    found = cycles(known, edges)
    detail = [
        " ; ".join(f"{a} -> {b} (line {edges[a, b][0][0]})" for a in comp for b in comp if (a, b) in edges)
        for comp in found
    ]
    assert detail == [], "import cycles:\n" + "\n".join(detail)


def test_no_upward_imports():
    _, edges = graph(SCRIPTS)
    assert upward(edges) == []


def test_imports_inside_functions_only_where_allowed():
    _, edges = graph(SCRIPTS)
    assert lazy_not_allowed(edges) == []
    stale = sorted(k for k in LAZY_ALLOWED if not any(inside for _, inside, _ in edges.get(k, [])))
    assert stale == [], "allowed lazy imports that no longer exist: remove them from LAZY_ALLOWED"


def test_no_module_over_400_lines():
    known, _ = graph(SCRIPTS)
    sizes = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in known.items()}
    largest = max(sizes, key=lambda m: sizes[m])
    assert sizes[largest] <= MAX_LINES, f"{largest} has {sizes[largest]} lines (at most {MAX_LINES})"


# ------------------------------------------------------------------ the checker itself finds what it must


def _tree(tmp: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        f = tmp / "minhbach" / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text, encoding="utf-8")
    return tmp


def test_the_checker_sees_cycles_through_a_package_init_and_inside_functions(tmp_path):
    scripts = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "charts/__init__.py": "from minhbach.charts.data import X\n",
            "charts/data.py": "from minhbach.charts.model import Y\n",  # runs charts/__init__ first
            "charts/model.py": "Y = 1\n",
            "compute/__init__.py": "",
            "compute/scores.py": "def f():\n    from minhbach.findings import model\n",
            "findings/__init__.py": "",
            "findings/model.py": "from minhbach.compute.scores import f\n",
        },
    )
    known, edges = graph(scripts)
    assert cycles(known, edges) == [
        ["minhbach.charts", "minhbach.charts.data"],
        ["minhbach.compute.scores", "minhbach.findings.model"],
    ]
    assert upward(edges) == ["minhbach.compute.scores (compute) imports minhbach.findings.model (findings) at line 2"]
    assert lazy_not_allowed(edges) == [
        "minhbach.compute.scores imports minhbach.findings.model inside a function at line 2"
    ]


def test_the_checker_resolves_relative_imports(tmp_path):
    scripts = _tree(
        tmp_path,
        {"__init__.py": "", "site/__init__.py": "from . import pages\n", "site/pages.py": "from .. import site\n"},
    )
    known, edges = graph(scripts)
    assert cycles(known, edges) == [["minhbach.site", "minhbach.site.pages"]]
