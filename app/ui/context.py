"""What every screen needs: where things are, the records, the content, who is signed in."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.paths import Locations


class AppContext(QObject):
    """Shared state for the screens. Signals tell them when something they show has changed."""

    content_changed = Signal()
    settings_changed = Signal()
    progress_changed = Signal()

    def __init__(self, locations: Locations, parent: QObject | None = None):
        super().__init__(parent)
        self.locations = locations
        self.db = None  # app.modules.records.database.Database
        self.content = None  # app.modules.content.ContentSet
        self.profile = None  # accounts.ProfileSummary of whoever is signed in
        self.settings: dict = {}
        self._speech = None
        self.instance_lock = None  # app.modules.instance_lock.InstanceLock, held while the window runs

    # --- lazily created services -----------------------------------------------------------
    @property
    def speech(self):
        if self._speech is None:
            from .speech_bridge import SpeechBridge

            self._speech = SpeechBridge(self)
            rate = self.settings.get("speech.rate")
            if isinstance(rate, int):
                self._speech.rate = rate
        return self._speech

    def shutdown(self) -> None:
        if self._speech is not None:
            self._speech.shutdown()
        if self.db is not None:
            self.db.close()
            self.db = None  # late timers (a lesson's position save) then see there is no database
        if self.instance_lock is not None:
            self.instance_lock.release()  # after the records are closed
            self.instance_lock = None

    # --- content and settings -----------------------------------------------------------------
    def load_content(self) -> None:
        from app.modules.content import load_content

        self.content = load_content(self.locations.content_dir)
        self.content_changed.emit()

    def reload_settings(self) -> None:
        from app.modules.records import settings_store

        self.settings = settings_store.get_all(self.db)
        self.settings_changed.emit()

    @property
    def program(self):
        return self.content.program if self.content else None

    def placeholder_values(self) -> dict[str, str]:
        from app.modules.placeholders import values

        title = self.program.title if self.program else ""
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
    def role(self) -> str | None:
        return self.profile.role if self.profile is not None else None

    def is_staff(self) -> bool:
        return self.role in ("trainer", "coordinator")
