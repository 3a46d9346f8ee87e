"""``{{ comment|with_names|markdown }}``: a comment's text with its mentions shown by name."""

from __future__ import annotations

from django import template

from agendas.comments import body_with_names
from agendas.models import Comment

register = template.Library()


@register.filter
def with_names(comment: Comment) -> str:
    return body_with_names(comment)
