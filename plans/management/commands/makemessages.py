from django.core.management.commands import makemessages


class Command(makemessages.Command):
    # The parser marks its messages with N_ (it cannot import Django's gettext).
    xgettext_options = makemessages.Command.xgettext_options + ["--keyword=N_"]
