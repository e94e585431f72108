"""What an import did: counts per kind, each post's outcome and warnings, links, chains."""

from collections import Counter
from dataclasses import asdict, dataclass, field


@dataclass
class PostOutcome:
    post_id: int
    title: str
    action: str = ""  # created, updated, unchanged, left alone, skipped
    page_id: int | None = None
    warnings: list[str] = field(default_factory=list)
    unresolved_links: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    source: str = ""
    site_title: str = ""
    dry_run: bool = False
    counts: dict[str, Counter] = field(default_factory=dict)
    posts: list[PostOutcome] = field(default_factory=list)
    chains: list[dict] = field(default_factory=list)
    ambiguous_chains: list[dict] = field(default_factory=list)
    skipped_items: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def count(self, kind: str, action: str, by: int = 1) -> None:
        self.counts.setdefault(kind, Counter())[action] += by

    @property
    def warning_count(self) -> int:
        return sum(len(post.warnings) for post in self.posts)

    @property
    def unresolved_links(self) -> list[tuple[int, str]]:
        return [(post.post_id, link) for post in self.posts for link in post.unresolved_links]

    def as_dict(self) -> dict:
        data = asdict(self)
        data["counts"] = {kind: dict(counter) for kind, counter in self.counts.items()}
        data["skipped_items"] = dict(self.skipped_items)
        data["warning_count"] = self.warning_count
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        report = cls(
            source=data.get("source", ""),
            site_title=data.get("site_title", ""),
            dry_run=data.get("dry_run", False),
            chains=data.get("chains", []),
            ambiguous_chains=data.get("ambiguous_chains", []),
            skipped_items=Counter(data.get("skipped_items", {})),
            notes=data.get("notes", []),
        )
        report.counts = {kind: Counter(c) for kind, c in data.get("counts", {}).items()}
        report.posts = [PostOutcome(**post) for post in data.get("posts", [])]
        return report

    def lines(self) -> list[str]:
        """The report as plain text, for the command line."""
        heading = "Dry run (nothing was written)" if self.dry_run else "Import"
        out = [f"{heading} of {self.site_title or self.source} ({self.source})", ""]
        for kind, counter in self.counts.items():
            parts = ", ".join(f"{number} {action}" for action, number in sorted(counter.items()))
            out.append(f"  {kind}: {parts}")
        if self.skipped_items:
            parts = ", ".join(f"{n} {what}" for what, n in sorted(self.skipped_items.items()))
            out.append(f"  not imported: {parts}")
        if self.chains:
            out += ["", "Series found in hand-made chains:"]
            for chain in self.chains:
                out.append(
                    f"  {chain['title']} ({chain['action']}): "
                    + " → ".join(str(title) for title in chain["titles"])
                )
        if self.ambiguous_chains:
            out += ["", "Chains not made into series (ambiguous):"]
            for chain in self.ambiguous_chains:
                out.append(f"  {', '.join(chain['titles'])}: {chain['reason']}")
        noted = [post for post in self.posts if post.warnings or post.unresolved_links]
        if noted:
            out += ["", "Warnings per post:"]
            for post in noted:
                out.append(f"  [{post.post_id}] {post.title} ({post.action})")
                out += [f"    - {warning}" for warning in post.warnings]
                out += [f"    - unresolved link: {link}" for link in post.unresolved_links]
        if self.notes:
            out += ["", *self.notes]
        return out
