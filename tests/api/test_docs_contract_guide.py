"""docs/api.md names everything the server implements, and nothing it does not."""

# ruff: noqa: F811  (the code, guide and schema fixtures come from docs_contract_support)

from collections import defaultdict

from tests.api.docs_contract_support import (  # noqa: F401
    KNOWN_CODES,
    api_error_codes,
    code,
    code_text,
    described_error_codes,
    enum_values,
    guide,
    header_names,
    missing,
    normalise_path,
    object_shapes,
    operations,
    parameter_table_names,
    parameters_by_location,
    property_names,
    report,
    schema,
    sections,
    source_error_codes,
    statuses,
)

# The guide against the server


class TestTheGuideNamesEverything:
    def test_every_path(self, schema, code):
        paths = {normalise_path(path): path for path in schema["paths"]}
        assert paths, "the document has no paths"

        absent = missing(paths, code, kind="path")

        assert not absent, report("paths", absent)

    def test_every_query_and_path_parameter(self, schema, code):
        found = parameters_by_location(schema)
        names = {**found.get("path", {}), **found.get("query", {})}
        assert names, "the document has no parameters"

        absent = missing(names, code)

        assert not absent, report("parameters", absent, names)

    def test_every_request_and_response_header(self, schema, code):
        names = header_names(schema)
        assert "Authorization" in names, "the partner key header is no longer in the document"

        absent = missing(names, code, ignore_case=True)

        assert not absent, report("headers", absent, names)

    def test_every_property_of_every_response_body(self, schema, code):
        names = property_names(schema)
        assert {"error", "code", "renditions", "next_token"} <= set(names)

        absent = missing(names, code)

        assert not absent, report("response fields", absent, names)

    def test_each_body_shape_is_described_in_one_section(self, schema, guide):
        """Not a name found just anywhere: every object's properties together in one section."""
        by_section = {title: code_text(text) for title, text in sections(guide).items()}
        scattered = []
        for names, places in sorted(object_shapes(schema).items(), key=lambda i: sorted(i[1])):
            lacking = {title: missing(names, text) for title, text in by_section.items()}
            best = min(lacking, key=lambda title: len(lacking[title]))
            if lacking[best]:
                scattered.append(f"  {min(places)}: closest is '{best}', lacking {lacking[best]}")

        assert not scattered, "no section of docs/api.md describes these shapes:\n" + "\n".join(
            scattered
        )

    def test_every_enum_value(self, schema, code):
        values = enum_values(schema)
        assert "-published_at" in values

        absent = missing(values, code)

        assert not absent, report("enum values", absent, values)

    def test_every_error_code_the_server_emits(self, schema, code):
        codes = defaultdict(set)
        for source in (source_error_codes(), api_error_codes(), described_error_codes(schema)):
            for name, places in source.items():
                codes[name] |= places
        assert set(codes) >= KNOWN_CODES

        absent = missing(codes, code)

        assert not absent, report("error codes", absent, codes)

    def test_every_status_the_document_declares(self, schema, guide):
        found = statuses(schema)
        assert {"200", "400", "404"} <= set(found)

        absent = missing(found, guide, kind="status")

        assert not absent, report("statuses", absent, found)

    def test_each_operation_has_its_query_parameters_in_a_table_beside_its_path(
        self, schema, guide
    ):
        """Where a client looks: the section naming the path lists what it takes, in a table."""
        by_section = {
            title: (code_text(text), parameter_table_names(text))
            for title, text in sections(guide).items()
        }
        untabled = []
        for path, method, operation in operations(schema):
            wanted = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            if not wanted:
                continue
            beside = {
                title: sorted(wanted - tabled)
                for title, (code, tabled) in by_section.items()
                if not missing([normalise_path(path)], code, kind="path")
            }
            if not beside:
                untabled.append(f"  {method.upper()} {path}: no section names the path")
            elif all(beside.values()):
                best = min(beside, key=lambda title: len(beside[title]))
                untabled.append(
                    f"  {method.upper()} {path}: not in a parameter table of '{best}': "
                    f"{beside[best]}"
                )

        assert not untabled, "operations whose parameters are not tabled:\n" + "\n".join(untabled)


class TestTheGuideNamesNothingElse:
    def test_its_parameter_tables_name_only_parameters_of_the_document(self, schema, guide):
        documented = parameter_table_names(guide)
        assert {"limit", "cursor", "token"} <= documented, "the parameter tables were not read"
        found = parameters_by_location(schema)
        known = set(found.get("query", {})) | set(found.get("header", {}))

        unknown = sorted(documented - known)

        assert not unknown, f"parameter tables name what the document does not have: {unknown}"
