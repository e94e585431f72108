"""Search index entries for bulk articles, from the texts they were built from.

Indexing a loaded `ArticlePage` makes the search backend walk its StreamField body four times
(title, body, autocomplete and plain-text vectors each re-read every search field), load the
body's images and query its tags and bylines: about 20 ms an article, half an hour for
100,000. The builder already holds every text the body's `get_searchable_content` would give,
so each article is handed to the backend's own bulk `add_items` as a light document carrying
those texts under the same search fields, flattened (`tags__name`), with the same boosts. The
backend then writes the entries as it always does (one INSERT per batch; on PostgreSQL the
tsvectors are computed by the database).
"""

from django.core.exceptions import FieldDoesNotExist
from wagtail.search.backends import get_search_backend
from wagtail.search.index import AutocompleteField, RelatedFields, SearchField

from articles.models import ArticlePage


def _flattened(fields, prefix: str = "") -> list:
    flat = []
    for search_field in fields:
        name = f"{prefix}{search_field.field_name}"
        if isinstance(search_field, RelatedFields):
            flat += _flattened(search_field.fields, f"{name}__")
        elif isinstance(search_field, SearchField):
            flat.append(SearchField(name, boost=search_field.boost))
        elif isinstance(search_field, AutocompleteField):
            flat.append(AutocompleteField(name))
    return flat


class _NoModelFields:
    """Makes the backend read every search field as a plain attribute of the document."""

    @staticmethod
    def get_field(name):
        raise FieldDoesNotExist(name)


class IndexDocument:
    """One article as the search backend sees it: its id and the text of each search field."""

    _meta = _NoModelFields
    search_fields = _flattened(ArticlePage.get_search_fields())
    field_names = frozenset(f.field_name for f in search_fields)

    def __init__(self, pk: int, texts: dict):
        if set(texts) != self.field_names:
            # ArticlePage.search_fields changed: the builder must supply the new texts.
            raise ValueError(f"index texts {sorted(texts)} != fields {sorted(self.field_names)}")
        self.pk = pk
        self.__dict__.update(texts)

    def get_search_fields(self):
        return self.search_fields


def batch_index(batch) -> None:
    """Write the index entries of a batch of built (and inserted) articles, in one go."""
    documents = [IndexDocument(built.page.pk, built.index_texts()) for built in batch]
    backend = get_search_backend()
    backend.get_index_for_model(ArticlePage).add_items(ArticlePage, documents)
