"""The one error the importer raises for documents it cannot read."""


class DocumentError(ImportError):
    """The uploaded document cannot be imported (empty, binary, undecodable, unsupported).

    It subclasses ImportError because it is the import of a document that failed;
    the message is always a single line, fit to print before exiting with status 2.
    """

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))
