from django import template

register = template.Library()


@register.simple_tag
def accessible_widget(field):
    """The field's widget tied to its help text and error by aria-describedby."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_help")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
    attrs = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.field.required and field.widget_type not in ("checkboxselectmultiple", "radioselect"):
        attrs["required"] = True
    return field.as_widget(attrs=attrs)
