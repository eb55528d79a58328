"""Error types whose message is fit to show on a page: German text, or a ``kita.i18n.Message`` (German as text,
said in the reader's language with ``kita.i18n.say``; pages: ``ui.say_error``)."""


class DataError(Exception):
    """Input data (file, upload, database content) are missing or invalid.

    ``problems`` holds one line per problem, e.g. ``Datei data/seed/kitas.csv, Zeile 14: PLZ fehlt`` (a Message
    where the code knows its id).
    """

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = problems or []
        super().__init__(message if not self.problems else message + "\n" + "\n".join(self.problems))
        self.message = message


class StoreError(Exception):
    """The database cannot be opened or written; nothing was changed."""
