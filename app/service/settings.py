"""The school's settings (name, contacts, logo, pass mark ...)."""

from __future__ import annotations

from typing import Any

from app.modules.records import settings_store

from .changes import SETTINGS, Changes
from .training import Part


class Settings(Part):
    def all(self) -> dict[str, Any]:
        return settings_store.get_all(self.db)

    def get(self, key: str, default: Any = None) -> Any:
        return settings_store.get_setting(self.db, key, default)

    def set(self, key: str, value: Any) -> Changes:
        settings_store.set_setting(self.db, key, value, actor_id=self.actor.id)
        return SETTINGS

    def set_many(self, values: dict[str, Any]) -> Changes:
        settings_store.set_settings(self.db, values, actor_id=self.actor.id)
        return SETTINGS
