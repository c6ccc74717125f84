"""A visible trail of state changes, in the admin's own history.

State-changing model methods call ``record_change`` so that a coordinator
sees in an object's "Historie" who published, archived or verified it,
whether it happened through an admin action, a view or a command.
"""

from django.contrib.admin.models import CHANGE, LogEntry


def record_change(obj, user, message):
    if user is None:
        return
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[obj],
        action_flag=CHANGE,
        change_message=str(message),
        single_object=True,
    )
