"""Where things are: bundled resources (content, migrations, icons) and the user's data.

Resources are found the same way from a source checkout, an installed package and a
PyInstaller bundle (where everything sits under sys._MEIPASS).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

DATA_ENV = "PEER_TRAINER_DATA"
CONTENT_ENV = "PEER_TRAINER_CONTENT"
DATABASE_URL_ENV = "PEER_TRAINER_DATABASE_URL"
DB_FILENAME = "peer-trainer.sqlite3"


def resource_root() -> Path:
    """The folder that holds `content/` and `app/` resources."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def bundled_content() -> Path:
    return resource_root() / "content"


def resources_dir() -> Path:
    """Icons, fonts and other files the UI needs (app/resources)."""
    return Path(__file__).resolve().parent / "resources"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("peer-helper-trainer", appauthor=False))


@dataclass(frozen=True, slots=True)
class Locations:
    data_dir: Path
    content_dir: Path
    database_url: str | None = None  # None: SQLite in data_dir

    @property
    def database_file(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return "sqlite:///" + str(self.database_file)


def resolve_locations(
    data_dir: str | os.PathLike | None = None,
    content_dir: str | os.PathLike | None = None,
    database_url: str | None = None,
) -> Locations:
    """Command-line options win over environment variables, which win over the data folder's
    config.json (the database URL), which wins over defaults.

    Portable mode: a `peer-trainer-data` folder beside the bundled program is used when it
    exists, so a school can run the program from a USB stick with its data beside it.
    """
    if data_dir is None:
        data_dir = os.environ.get(DATA_ENV) or None
    if data_dir is None:
        portable = _portable_data_dir()
        data_dir = portable if portable is not None else default_data_dir()
    if content_dir is None:
        content_dir = os.environ.get(CONTENT_ENV) or bundled_content()
    data = Path(data_dir).expanduser().resolve()
    if database_url is None:
        database_url = os.environ.get(DATABASE_URL_ENV) or None
    if database_url is None and (data / "config.json").is_file():  # app.local_config.CONFIG_FILE
        # A school's shared server, chosen in the Records tab (config.json beside the records);
        # imported only when the file is there: json is not needed on the usual start-up path.
        from app.local_config import load_database_url

        database_url = load_database_url(data)  # its password from the OS keyring when it is there
    return Locations(data, Path(content_dir).expanduser().resolve(), database_url)


def _portable_data_dir() -> Path | None:
    if not getattr(sys, "frozen", False):
        return None
    candidate = Path(sys.executable).resolve().parent / "peer-trainer-data"
    return candidate if candidate.is_dir() else None
