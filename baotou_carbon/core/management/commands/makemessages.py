"""makemessages without fuzzy matching: msgmerge's guesses ("Overdue" → "概况") compile to
nothing and hide which strings still need a translator."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
