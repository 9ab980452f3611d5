"""Reading a trainer's CSV file (participants, knowledge-check responses) with one set of clear
messages: missing, a folder, unreadable, not UTF-8, not text."""

from __future__ import annotations

from pathlib import Path


def read_csv_text(path: str | Path, error: type[Exception], shown: str | None = None) -> str:
    """The text of a CSV file, as Excel's "CSV UTF-8" saves it (a leading BOM dropped); any
    problem raises ``error`` with a message naming the file and what to do."""
    file = shown or str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise error(f"{file} does not exist (no such file); check the name and the folder") from None
    except IsADirectoryError:
        raise error(f"{file} is a folder; give the CSV file itself") from None
    except OSError as problem:
        raise error(f"{file} could not be read ({problem.strerror}); check that you may open it") from None
    return decode_csv(raw, error, file)


def decode_csv(raw: bytes, error: type[Exception], file: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(
            f"{file} is not UTF-8 text. In Excel, use File > Save As and choose 'CSV UTF-8 (Comma delimited)', "
            "then run the command again."
        ) from None
    if "\x00" in text:
        raise error(f"{file} does not look like a CSV file (it holds binary data); save it as CSV")
    return text
