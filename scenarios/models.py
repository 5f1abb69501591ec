from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def pick_language(texts: dict[str, str], language: str | None = None) -> str:
    """The text in the current UI language, falling back to Chinese, then anything."""
    code = (language or get_language() or "zh-hans").lower()
    key = "zh" if code.startswith("zh") else code[:2]
    return texts.get(key) or texts.get("zh") or next(iter(texts.values()), "")


class Scenario(models.Model):
    """A catalogued situation (SCENARIOS.md), identified by its stable slug."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    titles = models.JSONField(_("titles"), default=dict, help_text="{zh, ko, en}")
    customer_lines = models.JSONField(_("customer line"), default=dict, help_text="{zh, ko, en}")
    sources = models.JSONField(_("sources"), default=list)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return self.slug

    @property
    def title(self) -> str:
        return pick_language(self.titles)

    @property
    def customer_line(self) -> str:
        return pick_language(self.customer_lines)
