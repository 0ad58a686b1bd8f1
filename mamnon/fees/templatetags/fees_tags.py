"""``{{ amount|vnd }}``: whole đồng with dots between thousands, as Vietnamese invoices write them."""

from django import template

register = template.Library()


@register.filter
def vnd(value) -> str:
    if value is None or value == "":
        return ""
    n = int(value)
    text = f"{abs(n):,}".replace(",", ".")
    return f"{'-' if n < 0 else ''}{text} đ"
