"""Validators for what people type: the same rules for the public forms and the admin.

Control characters have no place in names, titles or addresses: a line
break in a title ends up in an email header, a zero-width character makes
two addresses look alike. Multi-line texts may keep their line breaks and tabs.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.mail.message import sanitize_address
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# C0 controls, DEL, NEL and the Unicode line and paragraph separators.
LINE_BREAKING = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")
# The same, but line feed, carriage return and tab are fine in a text of several lines.
CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]")
# The start of an HTML tag, comment or declaration; a lone "<" ("unter <3 Jahren") is text.
HTML_TAG = re.compile(r"<\s*[a-zA-Z!/?]")
# Unicode categories that no email address we send to may contain: controls,
# invisible format characters (zero-width space, soft hyphen, BOM), separators,
# and code points that are private, unassigned or broken.
NOT_IN_EMAIL = {"Cc", "Cf", "Zl", "Zp", "Zs", "Co", "Cn", "Cs"}


def single_line(value):
    if value and LINE_BREAKING.search(value):
        raise ValidationError(
            _("Please write this on one line, without line breaks or control characters."),
            code="control_characters",
        )


def multi_line(value):
    if value and CONTROL_IN_TEXT.search(value):
        raise ValidationError(
            _("Please remove the control characters from this text."), code="control_characters"
        )


def no_html(value):
    if value and HTML_TAG.search(value):
        raise ValidationError(_("Please enter plain text without HTML code."), code="html")


phone_number = RegexValidator(
    r"^[0-9 +()/\-]{3,40}$",
    _("Enter a phone number using only digits, spaces and + - / ( )."),
)

german_postal_code = RegexValidator(r"^[0-9]{5}\Z", _("Enter a postal code of five digits."))


def deliverable_email(value):
    """An address we can really send to: nothing invisible in it, a domain that encodes."""
    if not value:
        return
    error = ValidationError(
        _("This email address contains characters we cannot send to. Please check it."),
        code="undeliverable",
    )
    if any(unicodedata.category(character) in NOT_IN_EMAIL for character in value):
        raise error
    domain = value.rpartition("@")[2]
    try:
        domain.encode("idna")
        sanitize_address(value, "utf-8")  # what the mailer does with it
    except (UnicodeError, ValueError):
        raise error from None
