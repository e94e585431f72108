"""Admin forms: the article editor's extra validation, applied to drafts as well as publishing."""

from wagtail.admin.forms import WagtailAdminPageForm


class ArticlePageForm(WagtailAdminPageForm):
    """Checks the slug against every article, not only siblings, even when saving a draft."""

    def clean(self):
        cleaned_data = super().clean()
        slug = cleaned_data.get("slug")
        message = self.instance.slug_clash_message(slug) if "slug" not in self.errors else None
        if message:
            self.add_error("slug", message)
        return cleaned_data
