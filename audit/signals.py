"""What the audit log tells the areas above it, which it does not import."""

from django.dispatch import Signal

# Events were logged and their transaction committed: logs (a list of ActionLog). Sent after the
# commit, so a receiver never acts on a change that was rolled back.
action_logged = Signal()
