"""What every screen needs: where things are, the records, the content, who is signed in.

The state changes only through the methods below (records opened or replaced, content loaded,
someone signed in or out), and each change is announced with `changed(Changes)`. Screens read
`training`, the service for whoever is signed in, and never pass record ids of who is acting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.paths import Locations

if TYPE_CHECKING:
    from app.modules.content import ContentSet
    from app.modules.program import Program
    from app.modules.records.database import Database
    from app.modules.records.profile_summary import ProfileSummary
    from app.service import Changes, Training
    from app.service.front_door import FrontDoor
    from app.ui.common.speech_bridge import SpeechBridge


class AppContext(QObject):
    """Shared state for the screens; `changed` tells them what an operation changed."""

    changed = Signal(object)  # app.service.Changes
    language_changed = Signal(str)  # the program now speaks this language (app/ui/common/language.py)

    def __init__(self, locations: Locations, parent: QObject | None = None, speech=None):
        super().__init__(parent)
        self.locations = locations
        self.db: Database | None = None
        self.content: ContentSet | None = None
        self.profile: ProfileSummary | None = None  # whoever is signed in
        self.training: Training | None = None  # their way into the records
        self.settings: dict[str, Any] = {}
        self._speech: SpeechBridge | None = speech  # made on first use; tests may pass a stand-in
        self.instance_lock = None  # app.modules.instance_lock.InstanceLock, held while the window runs
        self.forced_language: str | None = None  # peer-trainer --language: wins over every choice
        self._preferences_writing = None  # the preferences being written (app.ui.tasks.change), if any
        self._preferences_in_flight: tuple[Training, dict[str, Any]] | None = None  # (whose, what) it writes
        self._preferences_queued: list[tuple[Training, dict[str, Any]]] = []  # waiting for it, in order

    # --- state transitions ---------------------------------------------------------------
    def open_records(self, db: Database | None) -> None:
        """Records opened, or replaced by a restore (None while the old ones are closed)."""
        from app.service.changes import EVERYTHING

        self.db = db
        self._rebuild_training()
        if db is not None:
            self._read_settings()
            self.apply(EVERYTHING)

    def set_content(self, content: ContentSet) -> None:
        from app.service.changes import CONTENT

        self.content = content
        self._rebuild_training()
        self.apply(CONTENT)

    def load_content(self) -> None:
        from app.modules.content import load_content

        self.set_content(load_content(self.locations.content_dir))

    def sign_in(self, profile: ProfileSummary) -> None:
        self.profile = profile
        self._rebuild_training()

    def sign_out(self) -> None:
        self.profile = None
        self.training = None

    def reload_settings(self) -> None:
        """The settings were changed outside an operation (a test, a tool): read them again."""
        from app.service.changes import SETTINGS

        self.apply(SETTINGS)

    def apply(self, changes: Changes) -> None:
        """After an operation: keep the cached settings current, then tell every view."""
        if changes.touches("settings") and self.db is not None:
            self._read_settings()
        self.changed.emit(changes)

    def _read_settings(self) -> None:
        self.settings = self.front_door.school_settings()

    def _rebuild_training(self) -> None:
        if self.db is None or self.content is None or self.profile is None:
            self.training = None
            return
        from app.service import Training

        self.training = Training(self.db, self.content, self.profile, self.locations)

    # --- the signed-in person's preferences -------------------------------------------------------
    def save_preferences(self, changes: dict[str, Any]) -> None:
        """Keep these in the signed-in person's profile, off the UI thread. One write at a time, in
        order (each merges into what is stored, so two at once could lose one); changes made while
        one is written are merged and written next, the latest value of a key winning."""
        training = self.training
        if training is None:
            return
        queued = self._preferences_queued
        if queued and queued[-1][0] is training:
            queued[-1][1].update(changes)
        else:
            queued.append((training, dict(changes)))
        self._write_next_preferences()

    def preferences_pending(self) -> bool:
        return self._preferences_writing is not None or bool(self._preferences_queued)

    def preferences(self) -> dict[str, Any]:
        """The signed-in person's preferences: those stored, with the choices still being written
        on top, so that signing out and in again at once brings back what they just chose."""
        training = self.training
        if training is None:
            return {}
        prefs = dict(training.people.preferences())
        pending = ([self._preferences_in_flight] if self._preferences_in_flight else []) + self._preferences_queued
        for whose, changes in pending:
            if whose.actor.id == training.actor.id:
                prefs.update(changes)
        return prefs

    def _write_next_preferences(self) -> None:
        if self._preferences_writing is not None or not self._preferences_queued:
            return
        from app.ui.common import tasks

        training, changes = self._preferences_queued.pop(0)
        self._preferences_in_flight = (training, changes)

        def written(_value=None) -> None:
            self._preferences_writing = None
            self._preferences_in_flight = None
            self._write_next_preferences()

        def failed(exc: BaseException) -> None:
            import logging

            # A preference is a convenience (the text size, the tour seen): the screen already shows
            # the choice, so a write that failed is noted for developers and the next one goes on.
            logging.getLogger(__name__).warning("preferences not saved: %s", exc)
            written()

        self._preferences_writing = tasks.change(
            self, lambda: training.people.set_preferences(changes), written, failed, apply=None
        )

    # --- lazily created services -----------------------------------------------------------
    @property
    def speech(self) -> SpeechBridge:
        if self._speech is None:
            from app.ui.common.speech_bridge import SpeechBridge

            self._speech = SpeechBridge(self)
            rate = self.settings.get("speech.rate")
            if isinstance(rate, int):
                self._speech.rate = rate
        return self._speech

    def stop_speech(self) -> None:
        """Stop reading aloud; nothing to do (and no speech engine started) when it was never used."""
        if self._speech is not None:
            self._speech.stop()

    def shutdown(self) -> None:
        if self._speech is not None:
            self._speech.shutdown()
        if self.db is not None:
            self.db.close()
            self.open_records(None)  # late timers (a lesson's position save) then see there is no database
        if self.instance_lock is not None:
            self.instance_lock.release()  # after the records are closed
            self.instance_lock = None

    # --- content and settings -----------------------------------------------------------------
    @property
    def program(self) -> Program | None:
        return self.content.program if self.content else None

    @property
    def reader_program(self) -> Program | None:
        """The program in the language the signed-in person reads (module titles, competency names...),
        where program.yaml has a translation into it, else the program itself. It has the same structure,
        so it answers what modules and competencies there are as `program` does; use it for what a person
        reads, and `program` (or ids) for what is stored (a sign-off stores program.yaml's behaviours)."""
        from app.core import i18n

        program = self.program
        return program.in_language(i18n.language()) if program is not None else None

    def placeholder_values(self) -> dict[str, str]:
        from app.modules.placeholders import values

        program = self.reader_program  # lessons read the programme's title in the reader's language
        title = program.title if program else ""
        name = self.profile.display_name if self.profile is not None and self.profile.role == "trainee" else None
        return values(self.settings, title, name)

    def pass_mark(self) -> int:
        """Knowledge-check pass mark in percent: program.yaml, else the school's setting, else 80."""
        if self.program is not None and self.program.knowledge_check_pass_mark:
            return self.program.knowledge_check_pass_mark
        from app.modules.program import DEFAULT_PASS_MARK

        value = self.settings.get("knowledge_check.pass_mark")
        return int(value) if isinstance(value, int) and 1 <= value <= 100 else DEFAULT_PASS_MARK

    @property
    def front_door(self) -> FrontDoor:
        """The picker's list, sign-in and first-start setup: what needs no one signed in."""
        from app.service.front_door import FrontDoor

        return FrontDoor(self.db, self.locations)

    @property
    def role(self) -> str | None:
        return self.profile.role if self.profile is not None else None
