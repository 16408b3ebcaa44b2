"""Typesetting a report's HTML as PDF in a process of its own.

WeasyPrint holds the whole laid-out document in memory, about 2 MB a page
(a national plan's final report: 109 pages, some 500 MB at the peak), and
a Python process seldom gives memory back to the system: a web worker that
typeset one large PDF would keep that memory for the rest of its life. So
the PDF renderer runs WeasyPrint in a child process that exits when the
PDF is written, with a ceiling on its address space, so that one very
large report fails with a clear message instead of taking the server's
memory.

The child runs at a lower scheduling priority (``niceness``, 10 unless
told otherwise): typesetting is background work, and a web request on the
same machine should get a core first, whatever the number of reports
being typeset.

The child gets the HTML, the page stylesheet and the PDF variant in a
folder and writes the PDF beside them; it imports no Django.

    python -m fremdrift.reports.typesetting FOLDER MEMORY_MB [NICENESS]
"""

from __future__ import annotations

import gc
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

HTML_FILE = "report.html"
CSS_FILE = "page.css"
VARIANT_FILE = "variant.txt"
PDF_FILE = "report.pdf"
# Exit status of a child that ran out of its memory ceiling.
OUT_OF_MEMORY = 3


class TypesettingError(RuntimeError):
    """The PDF could not be made (the message says why)."""


def typeset(
    html: str,
    *,
    page_css: str,
    variant: str,
    memory_mb: int,
    timeout_s: int,
    niceness: int = 10,
) -> bytes:
    """``html`` as PDF, made by a child process limited to ``memory_mb`` of
    address space and ``timeout_s`` seconds, at scheduling priority
    ``niceness`` (0 is a web request's, 19 the lowest)."""
    with tempfile.TemporaryDirectory(prefix="fremdrift-pdf-") as tmp:
        folder = Path(tmp)
        (folder / HTML_FILE).write_text(html, encoding="utf-8")
        (folder / CSS_FILE).write_text(page_css, encoding="utf-8")
        (folder / VARIANT_FILE).write_text(variant, encoding="utf-8")

        try:
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "fremdrift.reports.typesetting",
                    tmp,
                    str(memory_mb),
                    str(niceness),
                ],
                capture_output=True,
                text=True,
                timeout=timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise TypesettingError(
                f"the PDF was not finished in {timeout_s} s "
                "(FREMDRIFT_PDF_TIMEOUT_SECONDS)"
            ) from None
        if done.returncode != 0 and _out_of_memory(done.returncode, done.stderr):
            raise TypesettingError(
                f"the PDF needs more memory than the {memory_mb} MB its "
                "typesetting may use (FREMDRIFT_PDF_MEMORY_MB): "
                + _last_line(done.stderr)
            )
        if done.returncode != 0:
            # Most likely still the ceiling (a library that could not be
            # loaded within it), but the message says what happened.
            raise TypesettingError(
                f"typesetting the PDF failed (exit {done.returncode}, with at "
                f"most {memory_mb} MB: FREMDRIFT_PDF_MEMORY_MB): "
                + done.stderr.strip()[-2000:]
            )
        return (folder / PDF_FILE).read_bytes()


# What a process at its address-space ceiling says: Python's MemoryError,
# or GLib failing to start a thread or map a library (then often a signal).
_MEMORY_SIGNS = (
    "memoryerror",
    "cannot allocate memory",
    "error creating thread",
    "failed to map segment",
)


def _out_of_memory(returncode: int, stderr: str) -> bool:
    return (
        returncode == OUT_OF_MEMORY
        or returncode < 0
        or any(sign in stderr.lower() for sign in _MEMORY_SIGNS)
    )


def _last_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1][-300:] if lines else "no message"


def main(folder: Path, memory_mb: int, niceness: int = 0) -> int:
    # The ceiling first, before anything is loaded (set here, not by the
    # parent between fork and exec, which is unsafe in a threaded parent).
    size = memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        # A process may lower its ceiling, never raise it above the hard
        # limit its container or service manager set.
        size = min(size, hard)
    resource.setrlimit(resource.RLIMIT_AS, (size, hard))
    # Never raised: a worker that already runs lower stays there.
    current = os.getpriority(os.PRIO_PROCESS, 0)
    os.setpriority(os.PRIO_PROCESS, 0, max(current, min(niceness, 19)))
    import logging

    # WeasyPrint warns about CSS and SVG properties it ignores; the
    # report's own checks decide what is wrong with a report.
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        from weasyprint import CSS, HTML

        source = (folder / HTML_FILE).read_text(encoding="utf-8")
        options = {
            "stylesheets": [
                CSS(string=(folder / CSS_FILE).read_text(encoding="utf-8"))
            ],
            "pdf_variant": (folder / VARIANT_FILE).read_text(encoding="utf-8").strip()
            or None,
        }
        # Laid out, then written, as WeasyPrint's own write_pdf does, with
        # the source and the parse left behind collected in between: the
        # peak is the layout plus the PDF, not the source as well.
        document = HTML(string=source).render(**options)
        del source
        gc.collect()
        document.write_pdf(folder / PDF_FILE, **options)
    except MemoryError:
        return OUT_OF_MEMORY
    return 0


if __name__ == "__main__":
    sys.exit(
        main(
            Path(sys.argv[1]),
            int(sys.argv[2]),
            int(sys.argv[3]) if len(sys.argv) > 3 else 0,
        )
    )
