"""Build the Qt-free part of the application: data folder, database, services.

Shared by the GUI (``app.py``) and the console (``cli.py``) so both use the same services.
"""

from __future__ import annotations

import getpass
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from jituan_desktop import i18n, paths
from jituan_desktop.domain.profiles import (
    PolicyProfile,
    ProfileError,
    load_local_profiles,
    load_profiles,
    merged_profiles,
)
from jituan_desktop.i18n import _
from jituan_desktop.persistence.backup import backup_database
from jituan_desktop.persistence.engine import make_engine, make_session_factory, sqlite_url
from jituan_desktop.persistence.errors import DataDirError
from jituan_desktop.persistence.migrate import MigrationResult, upgrade_database
from jituan_desktop.services.agreements import AgreementService
from jituan_desktop.services.attachments import AttachmentStore
from jituan_desktop.services.base import Database
from jituan_desktop.services.calendar import CalendarService
from jituan_desktop.services.charter import CharterService
from jituan_desktop.services.courses import CourseService
from jituan_desktop.services.dataset import DatasetService
from jituan_desktop.services.groups import GroupService
from jituan_desktop.services.placements import PlacementService
from jituan_desktop.services.recycle_bin import RecycleBinService, all_of
from jituan_desktop.services.research import ResearchService
from jituan_desktop.services.rotations import RotationService
from jituan_desktop.services.schools import SchoolService
from jituan_desktop.services.signing import SigningService
from jituan_desktop.services.teacher_import import TeacherImportService
from jituan_desktop.services.teachers import TeacherService
from jituan_desktop.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Every service of one open database; built once per process."""

    data: paths.DataPaths
    engine: Engine
    db: Database
    profiles: dict[str, PolicyProfile]
    migration: MigrationResult
    schools: SchoolService
    teachers: TeacherService
    groups: GroupService
    charter: CharterService
    calendar: CalendarService
    recycle_bin: RecycleBinService
    teacher_import: TeacherImportService
    dataset: DatasetService
    signing: SigningService
    agreements: AgreementService
    placements: PlacementService
    rotations: RotationService
    courses: CourseService
    research: ResearchService
    # the user's own profile files that were left out, and why (shown once at start)
    profile_problems: list[ProfileError] = field(default_factory=list)

    def backup(self, label: str = "manual") -> Path:
        return backup_database(self.data.database, self.data.backups, label)

    def close(self) -> None:
        self.engine.dispose()


def ensure_writable(folder: Path) -> None:
    """Refuse early, with a clear message, a data folder we cannot write to."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".write-test-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise DataDirError(_("The data folder {folder} cannot be written to ({error}). Choose "
                             "another folder with --data-dir or fix its permissions.").format(
                                 folder=folder, error=exc.strerror or exc)) from exc


def load_settings(data: paths.DataPaths, language: str | None = None) -> Settings:
    """Read the settings and activate the language (``language`` overrides for this run)."""
    settings = Settings.load(data.settings)
    i18n.install(settings.language_for_run(language), paths.catalogs_dir())
    return settings


def open_services(data: paths.DataPaths, settings: Settings) -> Services:
    """Migrate (or create) the database and wire the services. Raises StorageError."""
    ensure_writable(data.database.parent)
    migration = upgrade_database(data.database, data.backups)
    engine = make_engine(sqlite_url(data.database))
    actor = settings.actor_name or getpass.getuser()
    db = Database(make_session_factory(engine), actor)
    installed = load_profiles(paths.profiles_dir())
    local, profile_problems = load_local_profiles(data.profiles, installed)
    for problem in profile_problems:
        log.warning("local profile left out: %s", problem)
    profiles = merged_profiles(installed, local)
    schools = SchoolService(db)
    teachers = TeacherService(db)
    groups = GroupService(db, profiles)
    charter = CharterService(db)
    signing = SigningService(db, data)
    agreements = AgreementService(db, profiles, paths.resources_dir() / "agreements",
                                  data.settings)
    placements = PlacementService(db, profiles)
    rotations = RotationService(db, groups)
    courses = CourseService(db, profiles)
    research = ResearchService(db, AttachmentStore(data.attachments), profiles)
    restore_checks = {
        "school": all_of(schools.validate_restore, groups.validate_school_restore),
        "teacher": teachers.validate_restore,
        "group": groups.validate_group_restore,
        "membership": groups.validate_membership_restore,
        "leader": charter.validate_leader_restore,
        "charter_section": charter.validate_section_restore,
        "plan": charter.validate_plan_restore,
        "signing_identity": signing.validate_restore,
        "agreement": agreements.validate_restore,
        "placement": placements.validate_restore,
        "rotation": rotations.validate_restore,
        "course": courses.validate_restore,
        "research_session": research.validate_restore,
    }
    services = Services(
        data=data, engine=engine, db=db, profiles=profiles, migration=migration,
        profile_problems=profile_problems,
        schools=schools, teachers=teachers, groups=groups, charter=charter,
        calendar=CalendarService(db), recycle_bin=RecycleBinService(db, restore_checks),
        teacher_import=TeacherImportService(db, schools, teachers),
        dataset=DatasetService(db, lambda: backup_database(
            data.database, data.backups, "before-import"), profiles),
        signing=signing,
        agreements=agreements,
        placements=placements,
        rotations=rotations,
        courses=courses,
        research=research,
    )
    if data.demo and not services.groups.list():
        from jituan_desktop.services.demo import build_demo

        db.actor = _("Demo data")
        build_demo(services)
        db.actor = actor
        log.info("built the demo group in %s", data.database)
    return services


def current_group_id(services: Services, settings: Settings) -> int | None:
    """The group the user last opened, else the first one."""
    wanted = settings.current_demo_group_id if services.data.demo else settings.current_group_id
    groups = services.groups.list()
    if any(g.id == wanted for g in groups):
        return wanted
    return groups[0].id if groups else None
