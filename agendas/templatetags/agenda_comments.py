"""``{{ comment|comment_html }}``: a comment as sanitised HTML, its mentions highlighted and shown by name."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from agendas.comments import body_with_names, comment_html
from agendas.models import Comment

register = template.Library()


@register.filter(name="comment_html")
def comment_html_filter(comment: Comment) -> SafeString:
    return comment_html(comment)


@register.filter
def with_names(comment: Comment) -> str:
    """The Markdown source with names instead of usernames (for ``|markdown``; no highlighting)."""
    return body_with_names(comment)
