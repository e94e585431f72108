"""Factories for the editorial domain, shared by every test package."""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.text import slugify
from wagtail.models import Page

from articles.models import (
    ArticleAuthor,
    ArticleIndexPage,
    ArticlePage,
    Author,
    Series,
    SeriesMember,
    Topic,
)


def words(count: int, word: str = "lorem") -> str:
    return " ".join([word] * count)


def paragraph_body(word_count: int) -> list[tuple[str, str]]:
    """A body of one rich-text paragraph with exactly `word_count` words."""
    return [("paragraph", f"<p>{words(word_count)}</p>")]


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    credentials = ""
    role = "Health reporter"
    bio = "Writes about medicine."


class ReviewerFactory(AuthorFactory):
    name = factory.Sequence(lambda n: f"Dr Reviewer {n}")
    credentials = "MD"
    role = "Psychiatrist"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    description = "A subject area."


class ArticleIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ArticleIndexPage

    title = factory.Sequence(lambda n: f"Journal {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    intro = "Health journalism."


class ArticlePageFactory(wagtail_factories.PageFactory):
    """An article saved as a live page (call `publish` for revisions and publish dates)."""

    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = factory.LazyAttribute(lambda o: f"Summary of {o.title}.")
    body = factory.LazyFunction(lambda: paragraph_body(120))


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    title = factory.Sequence(lambda n: f"Series {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    description = "An ordered series."
    live = True


def series_with_members(*articles: ArticlePage, **kwargs) -> Series:
    """A live series whose members are `articles`, in that order."""
    series = SeriesFactory(**kwargs)
    for position, article in enumerate(articles):
        SeriesMember.objects.create(series=series, article=article, sort_order=position)
    return series


def byline(article: ArticlePage, *authors: Author) -> None:
    for position, author in enumerate(authors):
        ArticleAuthor.objects.create(article=article, author=author, sort_order=position)


def publish(page: Page, *, user=None) -> Page:
    """Publish the page's current state as a new revision, as the admin's Publish does."""
    page.save_revision(user=user).publish(user=user)
    page.refresh_from_db()
    return page


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*(Group.objects.get(name=name) for name in extracted))
        self.save()
