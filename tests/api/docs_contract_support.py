"""The docs/api.md contract check: what counts as documented, and what the server defines.

docs/api.md must name every path, parameter, header, field, enum value, error code and status.
The issue's acceptance point: the guide is the complete public contract for client developers,
so everything the server implements must be in it. The OpenAPI document the server publishes at
/api/v1/schema/ (fetched as tests/api/openapi_support.py fetches it) gives the paths, the
parameters, the response headers, every property of every response body (recursively, through
the components and the inline feed and probe schemas), the enum values and the statuses; the
error codes come from the code itself (every `default_code`, every `error_body(status, "code")`,
DRF's mapping in api/errors.py, gunicorn's refusals in cms/gunicorn_worker.py) and from the
codes each error response's description names.

A name counts as documented when it appears in a code span or fenced code block of the guide
(`name`), with word boundaries: `url` is not found inside `api_url`, nor `/api/v1/articles/`
inside `/api/v1/articles/{slug}/`. Statuses are the exception: tables write them bare. Beyond
single names: each object's properties are described together in one `## ` section, each
operation's query parameters are in a `| parameter |` table of a section naming its path, and
those tables name no parameter the document does not have.
"""

import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "api.md"
SCHEMA_PATH = "/api/v1/schema/"
# Where the server's Python lives; scanned as a whole, so modules may move or split within it.
SOURCE_DIRS = ("api", "cms")

# A name's boundaries: no word character or hyphen on either side (so `published_at` is not
# found in `-published_at` only, nor `Cache` in `Cache-Control`).
NAME_BEFORE = r"(?<![\w-])"
NAME_AFTER = r"(?![\w-])"
# A path's: not inside a longer path, `/api/v1/articles/` not in `/api/v1/articles/{slug}/`.
PATH_BEFORE = r"(?<![\w/{}.-])"
PATH_AFTER = r"(?![\w/{}-])"
# A status: a bare number, not part of `4,094`, `1.5` or `200ms`.
STATUS_BEFORE = r"(?<![\w,.])"
STATUS_AFTER = r"(?![\w,]|\.\d)"

FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
# Path templates, normalised to the OpenAPI form `{name}`: Django's `<slug:slug>` or `<slug>`
# and drf-spectacular's `{slug}` all become `{slug}`, on both sides of the comparison.
PLACEHOLDER = re.compile(r"<(?:\w+:)?(\w+)>|\{(?:\w+:)?(\w+)\}")
# Error codes in a response's description: `snake_case` in backticks.
DESCRIBED_CODE = re.compile(r"`([a-z]+(?:_[a-z]+)+)`")
# Error codes in the source: class attributes, literal error bodies, gunicorn's refusal table
# (`..., 414, "URI Too Long", "uri_too_long")`) and DRF's exception mapping.
SOURCE_CODE_PATTERNS = (
    re.compile(r"\bdefault_code\s*=\s*[\"']([a-z_]+)[\"']"),
    re.compile(r"\berror_body\(\s*(?:\d{3}|[\w.]+)\s*,\s*[\"']([a-z_]+)[\"']"),
    re.compile(r"\b\d{3},\s*\"[^\"\n]*\",\s*\"([a-z_]+)\"\s*\)"),
    re.compile(r"\bexceptions\.\w+:\s*\"([a-z_]+)\""),
)
# What the source scan must find, or it has stopped reading the code (a refactor changed how
# errors are spelt): then this test must be updated, not pass on an empty set.
KNOWN_CODES = {
    "invalid_parameter",
    "unknown_parameter",
    "not_found",
    "sync_token_expired",
    "method_not_allowed",
    "uri_too_long",
    "expectation_failed",
    "not_implemented",
    "server_error",
}


# The checker


def normalise_path(path: str) -> str:
    return PLACEHOLDER.sub(lambda m: "{" + (m.group(1) or m.group(2)) + "}", path)


def code_text(markdown: str) -> str:
    """The guide's code: fenced blocks and inline code spans, one per line, paths normalised."""
    blocks = FENCE.findall(markdown)
    rest = FENCE.sub("", markdown)
    spans = [match.group(2) for match in CODE_SPAN.finditer(rest)]
    return normalise_path("\n".join([*blocks, *spans]))


def missing(names, text: str, *, kind: str = "name", ignore_case: bool = False) -> list[str]:
    """The names of `names` that `text` does not mention, sorted; `kind` sets the boundaries."""
    before, after = {
        "name": (NAME_BEFORE, NAME_AFTER),
        "path": (PATH_BEFORE, PATH_AFTER),
        "status": (STATUS_BEFORE, STATUS_AFTER),
    }[kind]
    flags = re.IGNORECASE if ignore_case else 0
    return sorted(
        name for name in set(names) if not re.search(before + re.escape(name) + after, text, flags)
    )


def report(what: str, absent: list[str], where: dict[str, set[str]] | None = None) -> str:
    lines = [f"docs/api.md does not mention {len(absent)} {what}:"]
    for name in absent:
        places = sorted((where or {}).get(name, ()))
        suffix = f"  ({', '.join(places[:4])}{', ...' if len(places) > 4 else ''})"
        lines.append(f"  {name}{suffix if places else ''}")
    return "\n".join(lines)


# What the schema and the code define


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "head", "post", "put", "patch", "delete", "options", "trace"}:
                yield path, method, operation


def parameters_by_location(schema: dict) -> dict[str, dict[str, set[str]]]:
    """{location: {name: {"GET /path", ...}}} of every operation's parameters."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path, method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            found[parameter["in"]][parameter["name"]].add(f"{method.upper()} {path}")
    return found


def header_names(schema: dict) -> dict[str, set[str]]:
    """Request headers (header parameters, header security schemes) and response headers."""
    found = defaultdict(set)
    for name, places in parameters_by_location(schema).get("header", {}).items():
        found[name] |= places
    for scheme, definition in schema.get("components", {}).get("securitySchemes", {}).items():
        if definition.get("type") == "apiKey" and definition.get("in") == "header":
            found[definition["name"]].add(f"security scheme {scheme}")
    for path, method, operation in operations(schema):
        for status, response in operation.get("responses", {}).items():
            for name in response.get("headers", {}):
                found[name].add(f"{status} of {method.upper()} {path}")
    return found


def walk(node, where: str):
    """Every (where, dict) under `node`, `where` naming its component or response."""
    if isinstance(node, dict):
        yield where, node
        for value in node.values():
            yield from walk(value, where)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value, where)


def schema_roots(schema: dict):
    """The components' schemas, and the inline schemas of every response and parameter."""
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        yield f"components/{name}", component
    for path, _method, operation in operations(schema):
        for status, response in operation.get("responses", {}).items():
            for media, content in response.get("content", {}).items():
                yield f"{status} {media} of {path}", content.get("schema", {})
            for name, header in response.get("headers", {}).items():
                yield f"header {name} of {path}", header.get("schema", {})
        for parameter in operation.get("parameters", []):
            yield f"parameter {parameter['name']} of {path}", parameter.get("schema", {})


def property_names(schema: dict) -> dict[str, set[str]]:
    """Every property of every schema, recursively, and the names objects require (`checks`
    of /readyz lists its required keys without properties)."""
    found = defaultdict(set)
    for root, node in schema_roots(schema):
        for where, item in walk(node, root):
            if isinstance(item.get("properties"), dict):
                for name in item["properties"]:
                    found[name].add(where)
            if isinstance(item.get("required"), list):
                for name in item["required"]:
                    found[name].add(where)
    return found


def enum_values(schema: dict) -> dict[str, set[str]]:
    """Every string enum value of a body, parameter or header schema."""
    found = defaultdict(set)
    for root, node in schema_roots(schema):
        for where, item in walk(node, root):
            for value in item.get("enum") or ():
                if isinstance(value, str) and value:
                    found[value].add(where)
    return found


def statuses(schema: dict) -> dict[str, set[str]]:
    found = defaultdict(set)
    for path, method, operation in operations(schema):
        for status in operation.get("responses", {}):
            if status != "default":
                found[status].add(f"{method.upper()} {path}")
    return found


def described_error_codes(schema: dict) -> dict[str, set[str]]:
    """The codes each error response's description names, and an error code enum if any."""
    found = defaultdict(set)
    for path, method, operation in operations(schema):
        for status, response in operation.get("responses", {}).items():
            if status[0] in "45":
                for code in DESCRIBED_CODE.findall(response.get("description", "")):
                    found[code].add(f"{status} of {method.upper()} {path}")
    detail = schema.get("components", {}).get("schemas", {}).get("ErrorDetail", {})
    for code in detail.get("properties", {}).get("code", {}).get("enum", ()):
        found[code].add("components/ErrorDetail")
    return found


def source_files():
    for directory in SOURCE_DIRS:
        for path in sorted((ROOT / directory).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def source_error_codes() -> dict[str, set[str]]:
    """Every error code the code can put in an error body, by the file that spells it."""
    found = defaultdict(set)
    for path in source_files():
        text = path.read_text()
        for pattern in SOURCE_CODE_PATTERNS:
            for code in pattern.findall(text):
                found[code].add(str(path.relative_to(ROOT)))
    return found


def api_error_codes() -> dict[str, set[str]]:
    """The codes of every loaded `ApiError` subclass (the URLconf has imported the views)."""
    from api.errors import ApiError

    found = defaultdict(set)
    pending = [ApiError]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        found[cls.default_code].add(f"{cls.__module__}.{cls.__qualname__}")
    return found


def sections(markdown: str) -> dict[str, str]:
    """Each `## ` section of the guide (its `### ` subsections included), by title."""
    found = {}
    title, lines, fenced = "(preamble)", [], False
    for line in markdown.splitlines():
        fenced ^= line.startswith("```")
        if line.startswith("## ") and not fenced:
            found[title] = "\n".join(lines)
            title, lines = line[3:].strip(), []
        else:
            lines.append(line)
    found[title] = "\n".join(lines)
    return found


def object_shapes(schema: dict) -> dict[frozenset[str], set[str]]:
    """The property names of every object schema, by where each set is defined."""
    found = defaultdict(set)
    for root, node in schema_roots(schema):
        for where, item in walk(node, root):
            if isinstance(item.get("properties"), dict) and item["properties"]:
                found[frozenset(item["properties"])].add(where)
    return found


def parameter_table_names(markdown: str) -> set[str]:
    """The backticked names of the first column of every table headed `| parameter |`."""
    names = set()
    in_table = False
    for line in markdown.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.lstrip().startswith("|"):
            in_table = False
        elif cells[0].lower() == "parameter":
            in_table = True
        elif in_table and not set(cells[0]) <= set("-: "):
            names.update(match.group(2) for match in CODE_SPAN.finditer(cells[0]))
    return names


# Fixtures


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text()


@pytest.fixture(scope="module")
def code(guide) -> str:
    return code_text(guide)


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    """The document the server publishes, as a client fetches it."""
    with django_db_blocker.unblock():
        response = Client(HTTP_HOST="localhost").get(SCHEMA_PATH, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content[:500]
    return response.json()
