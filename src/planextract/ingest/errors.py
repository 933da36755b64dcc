"""The one exception type ingesters raise for a file they cannot read."""

from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be turned into a Document, with a reason a person understands.

    `error_type` is a short stable code (encrypted_pdf, scanned_pdf, legacy_doc,
    empty_file, undecodable_text, ...) that goes into the errors table.
    """

    def __init__(self, error_type: str, message: str, stage: str = "ingest") -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stage = stage
