"""The PDF of a typst source, compiled in a process of its own so the render's limits apply
to it (render/guard.py): `python -P typst_pdf.py ROOT [TIMESTAMP]` reads the source on standard
input and writes the PDF to standard output, or typst's message to standard error with exit
status TYPST_FAILED. Run as a script by its path, not as a module of the package: importing the
package would cost the process a second before typst starts."""

from __future__ import annotations

import datetime as dt
import sys

import typst

TYPST_FAILED = 3


def main(arguments: list[str]) -> int:
    root, stamp = arguments[0], (arguments[1] if len(arguments) > 1 else "")
    try:
        pdf = typst.compile(
            sys.stdin.buffer.read(),
            root=root,
            # Only the fonts inside the typst package, so every machine makes the same PDF.
            ignore_system_fonts=True,
            timestamp=dt.datetime.fromisoformat(stamp) if stamp else None,
        )
    except typst.TypstError as error:
        sys.stderr.write(error.message)
        return TYPST_FAILED
    sys.stdout.buffer.write(pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
