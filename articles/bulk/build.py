"""Articles built in memory from a seed: page rows, raw StreamField bodies, bylines, tags."""

import html
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale, Page

from articles.bulk import words
from articles.bulk.library import IMAGE_CREDIT, Library
from articles.bulk.words import TextMaker, cap, slug_for, word_count
from articles.cadence import ReviewPolicy, policy_for_site, review_dates, site_of_path
from articles.models import ArticleIndexPage, ArticlePage, Series
from articles.models.pages import reading_time_for

YEARS_OF_HISTORY = 6


@dataclass
class BuiltArticle:
    page: ArticlePage
    subject: str
    author_ids: list[int]
    topic_ids: list[int]
    tag_ids: list[int]
    references: list[tuple[str, str]]
    body_texts: list[str]  # what the body's get_searchable_content gives
    tag_names: list[str]
    author_names: list[str]

    def index_texts(self) -> dict:
        """The text of each of ArticlePage's search fields (flattened), for the search index."""
        return {
            "title": self.page.title,
            "subtitle": self.page.subtitle,
            "summary": self.page.summary,
            "body": self.body_texts,
            "tags__name": self.tag_names,
            "article_authors__author__name": self.author_names,
        }


@dataclass
class ArticleBuilder:
    """Where the next article goes: its sequence number, tree position and linkable articles."""

    journal: ArticleIndexPage
    owner: object
    seed: int
    sequence: int
    next_step: int
    series_sequence: int
    now: datetime
    content_type_id: int
    locale_id: int
    linkable: list[int]
    review_policy: ReviewPolicy

    @classmethod
    def start(cls, *, journal: ArticleIndexPage, owner, seed: int) -> "ArticleBuilder":
        children = Page.objects.filter(path__startswith=journal.path, depth=journal.depth + 1)
        last_path = children.aggregate(last=Max("path"))["last"]
        next_step = Page._str2int(last_path[-Page.steplen :]) + 1 if last_path else 1
        owned = ArticlePage.objects.filter(owner=owner)
        return cls(
            journal=journal,
            owner=owner,
            seed=seed,
            sequence=owned.count(),
            next_step=next_step,
            series_sequence=Series.objects.filter(members__article__owner=owner).distinct().count(),
            now=timezone.now().replace(microsecond=0),
            content_type_id=ContentType.objects.get_for_model(ArticlePage).pk,
            locale_id=journal.locale_id or Locale.get_default().pk,
            linkable=list(owned.order_by("pk").values_list("pk", flat=True)[:5000]),
            review_policy=policy_for_site(site_of_path(journal.path)),
        )

    def article_build(self, library: Library) -> BuiltArticle:
        self.sequence += 1
        number = self.sequence
        rng = random.Random(self.seed * 1_000_003 + number)  # noqa: S311 (reproducible test data)
        text = TextMaker(rng)
        subject = rng.choice(words.SUBJECTS)
        title = text.fill(rng.choice(words.TITLE_PATTERNS), subject)
        slug = slug_for(title, str(number))
        body, body_texts = self.body_build(rng, text, subject, library)
        published = self.now - timedelta(
            seconds=rng.randrange(3600, YEARS_OF_HISTORY * 365 * 86400)
        )
        updated = published
        if rng.random() < 0.3:
            updated = min(self.now, published + timedelta(days=rng.randrange(1, 400)))
        reviewer = rng.choice(library.reviewers) if rng.random() < 0.5 else None
        reviewed_at = (published - timedelta(days=3)).date() if reviewer else None
        # Rows bypass save(), which computes these: the same dates, from the site's policy.
        next_review_due, review_due_soon_from = review_dates(
            reviewed_at, interval_months=None, policy=self.review_policy
        )
        hero = rng.choice(library.heroes)
        license_name = rng.choice(ArticlePage.LICENSES)[0]
        path = Page._get_path(self.journal.path, self.journal.depth + 1, self.next_step)
        self.next_step += 1
        page = ArticlePage(
            path=path,
            depth=self.journal.depth + 1,
            numchild=0,
            translation_key=uuid.UUID(int=rng.getrandbits(128), version=4),
            locale_id=self.locale_id,
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=updated,
            latest_revision_created_at=updated,
            title=title,
            draft_title=title,
            slug=slug,
            content_type_id=self.content_type_id,
            url_path=f"{self.journal.url_path}{slug}/",
            owner_id=self.owner.pk,
            show_in_menus=False,
            seo_title="",
            search_description="",
            subtitle=rng.choice(words.SUBTITLES),
            summary=" ".join(text.sentences(2, subject))[:600],
            hero_image_id=hero.pk,
            hero_image_alt=f"Abstract illustration for an article about {subject}",
            hero_image_caption=rng.choice(["", f"{cap(subject)}, illustrated."]),
            hero_image_credit=IMAGE_CREDIT,
            medical_reviewer_id=reviewer.pk if reviewer else None,
            medical_reviewed_at=reviewed_at,
            next_review_due=next_review_due,
            review_due_soon_from=review_due_soon_from,
            syndication_allowed=rng.random() < 0.85,
            syndication_license=license_name,
            syndication_attribution="First published by Folio Health",
            canonical_url="",
            reading_time_minutes=reading_time_for(sum(word_count(t) for t in body_texts)),
        )
        # The raw stream, stored as is: no StreamValue round trip for 100,000 bodies.
        page.__dict__["body"] = body
        author_count = rng.choices([1, 2, 3], weights=[70, 25, 5])[0]
        topic_count = rng.choices([1, 2, 3], weights=[60, 30, 10])[0]
        tag_names = {subject.lower(), *rng.sample(words.TAGS, rng.randrange(1, 6))}
        authors = rng.sample(library.authors, author_count)
        tag_names = sorted(tag_names)
        return BuiltArticle(
            page=page,
            subject=subject,
            author_ids=[a.pk for a in authors],
            topic_ids=[t.pk for t in rng.sample(library.topics, topic_count)],
            tag_ids=[library.tags[name].pk for name in tag_names],
            body_texts=body_texts,
            tag_names=tag_names,
            author_names=[a.name for a in authors],
            references=[
                (
                    f"{rng.choice(words.JOURNALS)}: {text.fill('{S} and {s2}', subject)}",
                    f"https://doi.org/10.{rng.randrange(1000, 9999)}/{rng.getrandbits(40):x}",
                )
                for _ in range(rng.randrange(0, 4))
            ],
        )

    def body_build(self, rng, text: TextMaker, subject: str, library: Library):
        """A StreamField body in its stored JSON form, and its searchable texts."""
        blocks = []
        counted = []

        def block(block_type, value, *searchable):
            blocks.append(
                {"type": block_type, "value": value, "id": str(uuid.UUID(int=rng.getrandbits(128)))}
            )
            counted.extend(searchable)

        def paragraphs(count: int, *, opener: bool = False, link: bool = False):
            texts = [text.paragraph(subject, opener=opener and i == 0) for i in range(count)]
            rendered = [html.escape(t, quote=False) for t in texts]
            if link and self.linkable and rng.random() < 0.5:
                target = rng.choice(self.linkable)
                rendered[-1] += f' See <a linktype="page" id="{target}">our earlier coverage</a>.'
                texts[-1] += " See our earlier coverage."
            elif link:
                site = rng.choice(words.EXTERNAL_SITES)
                rendered[-1] += f' Read <a href="{site}">the official guidance</a>.'
                texts[-1] += " Read the official guidance."
            block("paragraph", "".join(f"<p>{t}</p>" for t in rendered), *texts)

        def heading(level: str = "h2"):
            heading_text = text.fill(
                rng.choice(
                    [
                        "What is {s}?",
                        "What the research shows",
                        "Who is most at risk",
                        "Treatment options",
                        "What {g} can do",
                        "The bottom line",
                        "How {s} is diagnosed",
                        "Living with {s}",
                    ]
                ),
                subject,
            )
            anchor = slugify(heading_text)[:80].strip("-") or "section"
            block("heading", {"text": heading_text, "level": level, "anchor": anchor}, heading_text)

        paragraphs(rng.randrange(2, 4), opener=True)
        for section in range(rng.randrange(3, 6)):
            heading("h3" if section and rng.random() < 0.25 else "h2")
            paragraphs(rng.randrange(1, 4), link=section == 1)
            roll = rng.random()
            if roll < 0.2:
                alt = f"Illustration for a section on {subject}"
                caption = rng.choice(["", f"{cap(subject)} in pictures."])
                image = rng.choice(library.heroes)
                block(
                    "image",
                    {"image": image.pk, "alt": alt, "caption": caption, "credit": IMAGE_CREDIT},
                    alt,
                    caption,
                    IMAGE_CREDIT,
                )
            elif roll < 0.45:
                quote = text.fill(rng.choice(words.QUOTES), subject)
                attribution = f"Dr {rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
                block("quote", {"quote": quote, "attribution": attribution}, quote, attribution)
            elif roll < 0.7:
                kind = rng.choice(list(words.CALLOUT_TITLES))
                title = words.CALLOUT_TITLES[kind]
                callout_text = " ".join(text.sentences(2, subject))
                block(
                    "callout",
                    {
                        "kind": kind,
                        "title": title,
                        "body": f"<p>{html.escape(callout_text, quote=False)}</p>",
                    },
                    title,
                    callout_text,
                )
            else:
                items = rng.sample(words.LIST_ITEMS, rng.randrange(3, 6))
                block(
                    "list",
                    {
                        "style": rng.choice(["unordered", "ordered"]),
                        "items": [
                            {
                                "type": "item",
                                "value": item,
                                "id": str(uuid.UUID(int=rng.getrandbits(128))),
                            }
                            for item in items
                        ],
                    },
                    *items,
                )
        paragraphs(1)
        if rng.random() < 0.4:
            citations = []
            for _ in range(rng.randrange(2, 5)):
                authors = f"{rng.choice(words.LAST_NAMES)} {rng.choice('ABCDEFGHJKLMN')}"
                title = text.fill("{S} and {s2}: a cohort study", subject)
                source = rng.choice(words.JOURNALS)
                citations.append(
                    {
                        "type": "item",
                        "value": {
                            "authors": authors,
                            "title": title,
                            "source": source,
                            "year": rng.randrange(2005, 2026),
                            "url": "",
                            "doi": f"10.{rng.randrange(1000, 9999)}/{rng.getrandbits(32):x}",
                        },
                        "id": str(uuid.UUID(int=rng.getrandbits(128))),
                    }
                )
                counted.extend([authors, title, source])
            block(
                "references", {"heading": "Studies cited", "citations": citations}, "Studies cited"
            )
        return blocks, counted
