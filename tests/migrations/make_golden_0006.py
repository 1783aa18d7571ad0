"""Make ``golden_0006.db``: the demo database as schema 0006 (release 0.2) writes it.

How it was made (once, with the code of the 0006 release)::

    .venv/bin/python tests/migrations/make_golden_0006.py

The demo builder writes every kind of record through the services (two groups, schools,
teachers, shared courses, joint research with attendance and attachments, placements in every
workflow state, rotations, an agreement), so the file holds realistic rows of every table of
0006. It is then copied into one self-contained file next to this script. The attachment files
themselves are not kept (the rows reference them by hash; the tests read rows only).

Do not regenerate the file once a later schema exists: it stands for the databases users of
the 0006 release have on their disks. The script refuses to run when the code's head revision
is not 0006; ``--force`` overwrites an existing file.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from make_golden_0001 import copy_database, run

from jituan_desktop import paths
from jituan_desktop.bootstrap import open_services
from jituan_desktop.settings import Settings

REVISION = "0006"
TARGET = Path(__file__).with_name(f"golden_{REVISION}.db")
ACTOR = "金样本录入员"


def make(target: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        data = paths.DataPaths(Path(tmp), demo=True)
        services = open_services(data, Settings(actor_name=ACTOR))
        services.close()
        copy_database(data.database, target)
    return target


def main(argv: list[str] | None = None) -> int:
    return run(argv, REVISION, TARGET, make, __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
