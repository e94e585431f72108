"""The house rules the import graph must keep: the domain (articles/) never imports the delivery
layer (api/), so editorial rules cannot come to depend on how content is served."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (lazy imports inside functions included)."""
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def domain_files() -> list[Path]:
    return [
        path for path in sorted((ROOT / "articles").rglob("*.py")) if "migrations" not in path.parts
    ]


def test_the_domain_imports_nothing_from_the_api():
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            module for module in imported_modules(path) if module.split(".")[0] == "api"
        )
        for path in domain_files()
    }
    assert {path: modules for path, modules in offenders.items() if modules} == {}


def test_the_check_sees_the_domain_and_its_imports():
    # The rule above is only as good as the walk: it must see lazy imports in the domain.
    files = domain_files()
    assert len(files) > 30
    seen = set().union(*(imported_modules(path) for path in files))
    assert {"articles.models", "articles.selectors", "articles.events", "wagtail.models"} <= seen


# Data, not code: the demo articles' texts.
DATA_MODULES = {"articles/demo/content.py"}
MAX_LINES = 400


def oversized_modules(*packages: str) -> dict[str, int]:
    """The modules of `packages` over MAX_LINES lines, with their line counts."""
    oversized = {}
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if "migrations" in path.parts or relative in DATA_MODULES:
                continue
            lines = len(path.read_text().splitlines())
            if lines > MAX_LINES:
                oversized[relative] = lines
    return oversized


def test_no_module_of_the_application_is_over_the_size_guideline():
    assert oversized_modules("api", "articles", "cms") == {}


def test_no_test_module_is_over_the_size_guideline():
    assert oversized_modules("tests") == {}


def test_every_package_says_what_it_owns():
    silent = []
    for package in ("api", "articles", "cms"):
        for init in sorted((ROOT / package).rglob("__init__.py")):
            if "migrations" in init.parts or "management" in init.parts:
                continue
            if ast.get_docstring(ast.parse(init.read_text())) is None:
                silent.append(str(init.relative_to(ROOT)))
    assert silent == []
