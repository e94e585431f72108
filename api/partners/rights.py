"""Who may receive an article's full text: the one rule behind the API, feeds and webhooks."""


def full_text_allowed(partner, article) -> bool:
    """Readers of the public API get bodies; a partner only with the full-text right and only
    for articles whose syndication is allowed (the others are invisible to partners anyway)."""
    if partner is None:
        return True
    return partner.full_text and article.syndication_allowed


def retracted_body_allowed(partner, article) -> bool:
    """A retracted article's original body goes only to a partner with the full-text right for
    it (who may need it to find and remove its copy), and only when asked for; every other
    client gets the retraction notice in its place."""
    return partner is not None and full_text_allowed(partner, article)


def feed_bodies_allowed(partner) -> bool:
    """Feeds carry bodies only for a partner with the full-text right (and then only where
    `full_text_allowed`): an anonymous feed announces articles, its entries link to them."""
    return partner is not None and partner.full_text


def partner_full_text(partner, articles) -> dict[int, bool] | None:
    """For a partner's response, `full_text_allowed` of each article by id; None for a reader,
    whose summaries carry no rights at all."""
    if partner is None:
        return None
    return {article.pk: full_text_allowed(partner, article) for article in articles}
