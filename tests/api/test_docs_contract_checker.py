"""The docs/api.md checker can fail: each check reports a name taken out of the guide."""

# ruff: noqa: F811  (the guide and schema fixtures come from docs_contract_support)

import re

import pytest

from tests.api.docs_contract_support import (  # noqa: F401
    KNOWN_CODES,
    NAME_AFTER,
    NAME_BEFORE,
    PATH_AFTER,
    PATH_BEFORE,
    STATUS_AFTER,
    STATUS_BEFORE,
    code_text,
    described_error_codes,
    enum_values,
    guide,
    header_names,
    missing,
    normalise_path,
    parameter_table_names,
    parameters_by_location,
    property_names,
    schema,
    source_error_codes,
    statuses,
)

# The checker can fail


class TestTheChecker:
    TEXT = code_text(
        "Fields `{id, api_url}` of `GET /api/v1/articles/{slug}/`, sorted by `-published_at`;"
        " `ETag`.\n\n| status | code |\n|---|---|\n| 404 | `not_found` |\n\n"
        '```json\n{"next_token": "..."}\n```\n'
        "`/feeds/series/<slug:slug>.rss`; a bare word and 4,094 bytes.\n"
    )

    def test_a_made_up_name_is_reported_missing(self):
        assert missing(["id", "api_url", "zorblax_quux"], self.TEXT) == ["zorblax_quux"]

    def test_names_in_code_spans_and_fenced_blocks_count(self):
        assert missing(["next_token", "not_found", "-published_at", "ETag"], self.TEXT) == []

    def test_a_name_only_in_plain_prose_does_not_count(self):
        assert missing(["bare"], self.TEXT) == ["bare"]

    def test_a_name_inside_a_longer_name_does_not_count(self):
        assert missing(["url", "published_at", "Tag", "next"], self.TEXT) == [
            "Tag",
            "next",
            "published_at",
            "url",
        ]

    def test_a_path_inside_a_longer_path_does_not_count(self):
        found = missing(["/api/v1/articles/{slug}/", "/api/v1/articles/"], self.TEXT, kind="path")
        assert found == ["/api/v1/articles/"]

    def test_path_templates_are_normalised(self):
        assert missing(["/feeds/series/{slug}.rss"], self.TEXT, kind="path") == []
        assert normalise_path("/a/<int:pk>/{slug}/") == "/a/{pk}/{slug}/"

    def test_statuses_are_bare_numbers_not_parts_of_larger_ones(self):
        text = "| 404 | `not_found` | ... 4,094 bytes"
        assert missing(["404", "409", "094", "4"], text, kind="status") == ["094", "4", "409"]

    def test_parameter_tables_are_read(self):
        table = "| parameter | value |\n|---|---|\n| `limit`, `cursor` | x |\n\n| `x` | y |\n"
        assert parameter_table_names(table) == {"limit", "cursor"}

    def test_the_source_scan_reads_every_way_a_code_is_spelt(self):
        assert set(source_error_codes()) >= KNOWN_CODES, (
            "the scan of the source no longer finds the error codes: update the patterns"
        )


def without(markdown: str, name: str, kind: str) -> str:
    """`markdown` with every mention of `name` (as `missing` finds it) crossed out."""
    before, after = {
        "name": (NAME_BEFORE, NAME_AFTER),
        "path": (PATH_BEFORE, PATH_AFTER),
        "status": (STATUS_BEFORE, STATUS_AFTER),
    }[kind]
    return re.sub(before + re.escape(name) + after, "REMOVED", markdown)


def schema_paths(schema: dict) -> set[str]:
    return {normalise_path(path) for path in schema["paths"]}


def query_parameters(schema: dict) -> dict[str, set[str]]:
    return parameters_by_location(schema)["query"]


def code_errors(schema: dict) -> dict[str, set[str]]:
    return source_error_codes()


class TestEachCheckFailsOnTheRealGuide:
    """Each name taken out of the real guide is reported by the check that covers it."""

    @pytest.mark.parametrize(
        ("collect", "name", "kind"),
        [
            (schema_paths, "/api/v1/sync/", "path"),
            (query_parameters, "api_key", "name"),
            (header_names, "Surrogate-Key", "name"),
            (property_names, "has_more", "name"),
            (property_names, "home_page_url", "name"),
            (enum_values, "-updated_at", "name"),
            (code_errors, "not_implemented", "name"),
            (described_error_codes, "sync_token_expired", "name"),
            (statuses, "410", "status"),
        ],
    )
    def test_a_name_taken_out_is_reported(self, schema, guide, collect, name, kind):
        names = collect(schema)
        assert name in names
        # Statuses are looked for in the whole text, everything else in its code.
        text_of = (lambda markdown: markdown) if kind == "status" else code_text

        before = set(missing(names, text_of(guide), kind=kind))
        after = set(missing(names, text_of(without(guide, name, kind)), kind=kind))

        assert after - before == {name}
