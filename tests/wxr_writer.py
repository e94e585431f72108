"""WordPress exports (WXR 1.2) written for tests and the import benchmark, item by item.

The writer streams to a file, so a benchmark export of thousands of posts never sits in memory;
`flavour="squarespace"` writes what Squarespace's export looks like (WXR 1.2 without
`<wp:author>` entries or GMT dates, creators by name, /blog/ permalinks, sqs-block markup is
the caller's content).
"""

from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/{version}/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/{version}/">
<channel>
<title>{title}</title>
<link>{base}</link>
<description>{title}</description>
<language>en-US</language>
<wp:wxr_version>{version}</wp:wxr_version>
<wp:base_site_url>{base}</wp:base_site_url>
<wp:base_blog_url>{base}</wp:base_blog_url>
"""
FOOTER = "</channel>\n</rss>\n"


def cdata(text: str) -> str:
    """`text` in CDATA sections (a `]]>` inside is split across two, as WordPress does)."""
    return "<![CDATA[" + (text or "").replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class Post:
    post_id: int
    title: str
    content: str = ""
    slug: str = ""
    excerpt: str = ""
    creator: str = "drsmith"
    date: str = "2021-03-14 09:00:00"  # GMT
    status: str = "publish"
    post_type: str = "post"
    categories: list[tuple[str, str]] = field(default_factory=list)  # (nicename, name)
    tags: list[tuple[str, str]] = field(default_factory=list)
    thumbnail_id: int | None = None
    link: str = ""  # default: the site's date-based permalink
    guid: str = ""  # default: ?p=<id>


@dataclass
class Attachment:
    post_id: int
    file: str  # under wp-content/uploads, e.g. 2021/03/ketamine.jpg
    title: str = ""
    alt: str = ""
    caption: str = ""
    parent_id: int = 0


class WxrWriter:
    """Writes one export: the header at once, then authors, categories and items as added."""

    def __init__(
        self,
        path: Path,
        *,
        base: str = "https://oldblog.example.com",
        title: str = "Mind and Body Blog",
        version: str = "1.2",
        flavour: str = "wordpress",
    ):
        self.path = Path(path)
        self.base = base.rstrip("/")
        self.flavour = flavour
        self._file = self.path.open("w", encoding="utf-8")
        self._file.write(HEADER.format(title=escape(title), base=self.base, version=version))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        if not self._file.closed:
            self._file.write(FOOTER)
            self._file.close()

    def author(self, login: str, *, email: str = "", display_name: str = "", first="", last=""):
        self._file.write(
            "<wp:author>"
            f"<wp:author_login>{cdata(login)}</wp:author_login>"
            f"<wp:author_email>{cdata(email)}</wp:author_email>"
            f"<wp:author_display_name>{cdata(display_name)}</wp:author_display_name>"
            f"<wp:author_first_name>{cdata(first)}</wp:author_first_name>"
            f"<wp:author_last_name>{cdata(last)}</wp:author_last_name>"
            "</wp:author>\n"
        )

    def category(self, nicename: str, name: str, description: str = ""):
        self._file.write(
            "<wp:category>"
            f"<wp:category_nicename>{cdata(nicename)}</wp:category_nicename>"
            f"<wp:category_parent>{cdata('')}</wp:category_parent>"
            f"<wp:cat_name>{cdata(name)}</wp:cat_name>"
            f"<wp:category_description>{cdata(description)}</wp:category_description>"
            "</wp:category>\n"
        )

    def permalink(self, post: Post) -> str:
        slug = post.slug or f"post-{post.post_id}"
        if self.flavour == "squarespace":
            return f"{self.base}/blog/{slug}"
        year, month, day = post.date[:10].split("-")
        return f"{self.base}/{year}/{month}/{day}/{slug}/"

    def upload_url(self, file: str) -> str:
        if self.flavour == "squarespace":
            return f"https://images.squarespace-cdn.com/content/v1/5f0a/{file.rsplit('/', 1)[-1]}"
        return f"{self.base}/wp-content/uploads/{file}"

    def post(self, post: Post) -> None:
        link = post.link or self.permalink(post)
        guid = post.guid or f"{self.base}/?p={post.post_id}"
        terms = "".join(
            f"<category domain={quoteattr(domain)} nicename={quoteattr(nicename)}>"
            f"{cdata(name)}</category>"
            for domain, pairs in (("category", post.categories), ("post_tag", post.tags))
            for nicename, name in pairs
        )
        meta = ""
        if post.thumbnail_id is not None:
            meta = _meta("_thumbnail_id", str(post.thumbnail_id))
        dates = f"<wp:post_date>{cdata(post.date)}</wp:post_date>"
        if self.flavour != "squarespace":
            dates += f"<wp:post_date_gmt>{cdata(post.date)}</wp:post_date_gmt>"
        self._file.write(
            "<item>"
            f"<title>{escape(post.title)}</title>"
            f"<link>{escape(link)}</link>"
            f"<dc:creator>{cdata(post.creator)}</dc:creator>"
            f'<guid isPermaLink="false">{escape(guid)}</guid>'
            f"<description></description>"
            f"<content:encoded>{cdata(post.content)}</content:encoded>"
            f"<excerpt:encoded>{cdata(post.excerpt)}</excerpt:encoded>"
            f"<wp:post_id>{post.post_id}</wp:post_id>{dates}"
            f"<wp:comment_status>{cdata('open')}</wp:comment_status>"
            f"<wp:post_name>{cdata(post.slug)}</wp:post_name>"
            f"<wp:status>{cdata(post.status)}</wp:status>"
            f"<wp:post_parent>0</wp:post_parent>"
            f"<wp:post_type>{cdata(post.post_type)}</wp:post_type>"
            f"<wp:post_password>{cdata('')}</wp:post_password>"
            f"{terms}{meta}"
            "</item>\n"
        )

    def attachment(self, attachment: Attachment) -> None:
        meta = _meta("_wp_attached_file", attachment.file)
        if attachment.alt:
            meta += _meta("_wp_attachment_image_alt", attachment.alt)
        self._file.write(
            "<item>"
            f"<title>{escape(attachment.title or attachment.file.rsplit('/', 1)[-1])}</title>"
            f"<wp:post_id>{attachment.post_id}</wp:post_id>"
            f"<wp:post_parent>{attachment.parent_id}</wp:post_parent>"
            f"<excerpt:encoded>{cdata(attachment.caption)}</excerpt:encoded>"
            f"<wp:status>{cdata('inherit')}</wp:status>"
            f"<wp:post_type>{cdata('attachment')}</wp:post_type>"
            f"<wp:attachment_url>{cdata(self.upload_url(attachment.file))}</wp:attachment_url>"
            f"{meta}"
            "</item>\n"
        )


def _meta(key: str, value: str) -> str:
    return (
        f"<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>"
    )
