from django.db import models


class HttpsURLField(models.URLField):
    """A URL field whose forms complete 'www.example.org' to https://, not http://."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
