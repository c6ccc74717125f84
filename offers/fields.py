from django.core.validators import validate_email
from django.db import models

from offers.validators import deliverable_email, multi_line, no_html, phone_number, single_line


class HttpsURLField(models.URLField):
    """A URL field whose forms complete 'www.example.org' to https://, not http://."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class EmailAddressField(models.EmailField):
    """An email address we can send to (see ``deliverable_email``)."""

    default_validators = [validate_email, deliverable_email]


class LineField(models.CharField):
    """A single line of text: a name, a title, an address, a phone number."""

    default_validators = [single_line, no_html]


class PhoneField(LineField):
    """A phone number as people dial it: digits, spaces and + - / ( )."""

    default_validators = [single_line, phone_number]


class TextField(models.TextField):
    """Text of several lines, without control characters other than line breaks and tabs."""

    default_validators = [multi_line, no_html]
