"""One lock for every PDFium call in the process.

PDFium (through pypdfium2) is not thread-safe: two threads opening, rendering or closing
documents at the same time can crash the program (a test run segfaulted when the agreements
page and the editor rendered their previews together). Every use of pypdfium2 holds
``PDFIUM_LOCK`` from opening the document until it and everything made from it (pages,
bitmaps, form environment) are closed; nothing of PDFium may be left to the garbage collector,
which could free it on another thread outside the lock.
"""

from __future__ import annotations

import threading

PDFIUM_LOCK = threading.RLock()
