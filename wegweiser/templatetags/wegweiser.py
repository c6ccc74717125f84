import re

from django import template

register = template.Library()


@register.filter
def css_string(text):
    """``text`` for the inside of a double-quoted CSS string in a <style> element."""
    # Each character that could end the string or the element, as a CSS escape ("\22 ").
    return re.sub(
        r'["\\<>\n\r\f]', lambda match: f"\\{ord(match.group()):x} ", " ".join(text.split())
    )
