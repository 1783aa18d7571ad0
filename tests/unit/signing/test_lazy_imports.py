"""Opening the app must not pay for pyHanko or ReportLab (about 0.7 s of imports)."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_app_and_the_signing_service_imports_neither_pyhanko_nor_reportlab():
    code = ("import sys, jituan_desktop.app, jituan_desktop.services.signing, "
            "jituan_desktop.cli_agreement; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'pyhanko', 'reportlab'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
