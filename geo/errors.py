"""Error types whose message is German text fit to show on a page."""


class DataError(Exception):
    """Input data (file, upload, database content) are missing or invalid.

    ``problems`` holds one German line per problem, e.g. ``Datei data/seed/kitas.csv, Zeile 14: PLZ fehlt``.
    """

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = problems or []
        super().__init__(message if not self.problems else message + "\n" + "\n".join(self.problems))
        self.message = message


class StoreError(Exception):
    """The database cannot be opened or written; nothing was changed."""
