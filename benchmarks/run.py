"""Ratio benchmarks (see README.md). Not a test: prints figures, asserts nothing."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtWidgets import QApplication
from sqlalchemy import insert
from timing import median_ms, report

from jituan_desktop import paths
from jituan_desktop.bootstrap import open_services
from jituan_desktop.persistence.models import TeacherRow, TeacherSubjectRow
from jituan_desktop.settings import Settings
from jituan_desktop.ui.models.record_table import Column
from jituan_desktop.ui.widgets.record_list import RecordListView

app = QApplication.instance() or QApplication([])


def bench_startup(root: Path) -> None:
    """Whole processes: our --smoke-test on the demo database vs. a bare PySide6 window."""
    import subprocess

    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    ours_cmd = [sys.executable, "-m", "jituan_desktop", "--demo", "--data-dir", str(root),
                "--smoke-test"]
    bare_cmd = [sys.executable, "-c", "from PySide6.QtWidgets import QApplication, QMainWindow;"
                "app = QApplication([]); w = QMainWindow(); w.show(); app.processEvents()"]
    subprocess.run(ours_cmd, env=env, check=True)  # builds the demo database once

    def run(cmd: list[str]) -> Callable[[], object]:
        return lambda: subprocess.run(cmd, env=env, check=True, capture_output=True)

    report("startup (process, demo)", median_ms(run(ours_cmd)), median_ms(run(bare_cmd)))


def bench_teacher_list(root: Path, n: int = 50_000) -> None:
    services = open_services(paths.DataPaths(root), Settings())
    from jituan_desktop.domain.schools import School

    school, _ = services.schools.save(School(None, "基准测试学校"))
    with services.db.unit_of_work() as s:
        s.execute(insert(TeacherRow), [
            {"id": i + 1, "school_id": school.id, "name": f"教师{i:05d}", "title": "first",
             "cadre_rank": "none"} for i in range(n)])
        s.execute(insert(TeacherSubjectRow), [
            {"teacher_id": i + 1, "subject": "语文", "position": 0} for i in range(n)])
    view = RecordListView([Column("姓名", lambda t: t.name),
                           Column("学校", lambda t: t.school_name),
                           Column("学科", lambda t: t.subjects_text)])

    def ours() -> None:
        view.set_rows(services.teachers.list())
        app.processEvents()

    def raw() -> None:
        conn = sqlite3.connect(services.data.database)
        conn.execute("SELECT t.id, t.name, s.name FROM teachers t JOIN schools s "
                     "ON s.id = t.school_id").fetchall()
        conn.close()

    report(f"teacher_list ({n:,} rows)", median_ms(ours), median_ms(raw))

    out = root / "export.json"

    def export() -> None:
        services.dataset.export_json(out)

    def raw_export() -> None:
        conn = sqlite3.connect(services.data.database)
        rows = conn.execute("SELECT * FROM teachers").fetchall()
        (root / "raw.json").write_text(json.dumps(rows, ensure_ascii=False))
        conn.close()

    report("dataset_export", median_ms(export, 3), median_ms(raw_export, 3))
    services.close()


if __name__ == "__main__":
    tmp = Path(tempfile.mkdtemp(prefix="jituan-bench-"))
    try:
        bench_startup(tmp / "startup")
        bench_teacher_list(tmp / "list")
        from bench_signing import bench_signing  # here: signing pulls in pyHanko

        (tmp / "signing").mkdir()
        bench_signing(tmp / "signing")
        from bench_activities import bench_activities

        bench_activities(tmp / "activities")
        from bench_agreement_pdf import bench_agreement_pdf

        bench_agreement_pdf(tmp / "agreement_pdf")
    finally:
        shutil.rmtree(tmp)
