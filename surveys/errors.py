"""The refusals surveys' services and reads give people."""


class SurveyError(Exception):
    """A user-facing refusal; ``code`` tells the view which page to show."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code
