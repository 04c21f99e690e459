"""Records, the shared database server: its address, a connection test, and where its password is kept."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from app.core.i18n import _
from app.ui.common import tasks
from app.ui.common import widgets as w
from app.ui.staff.school_tab import _section


class ServerPanel(QWidget):
    """The "Shared database server" section (the change takes effect at the next start)."""

    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        box, sec = _section(
            _("Shared database server"),
            _(
                "For a school with a network: keep the records on a PostgreSQL "
                "server so that every laptop sees the same records. Leave empty to keep them on this "
                "laptop. The change takes effect the next time the program starts."
            ),
        )
        self.server_url = QLineEdit()
        self.server_url.setAccessibleName(_("Database server address"))
        self.server_url.setPlaceholderText("postgresql+psycopg://user:password@server/database")
        self.server_test = w.button(_("Test the connection"), tip=_("Try to reach the server now"))
        self.server_test.clicked.connect(self.test_server)
        self.server_save = w.button(_("Save"), "primary", name=_("Save the database server address"))
        self.server_save.clicked.connect(self.save_server)
        sec.addWidget(self.server_url)
        sec.addLayout(w.row(self.server_test, self.server_save, None))
        self.server_status = w.muted("")
        self.server_status.setAccessibleName(_("Database server status"))
        sec.addWidget(self.server_status)
        outer.addWidget(box)

    def refresh(self) -> None:
        from app import local_config

        ctx = self.host.ctx
        data_dir = ctx.locations.data_dir
        saved = local_config.load_database_url(data_dir) or ""
        self.server_url.setText(local_config.shown_address(data_dir))  # never the password on screen
        now = ctx.locations.database_url
        on_server = self.host.on_server
        sentences = [
            _("The records are on a database server now.") if on_server else _("The records are on this laptop now.")
        ]
        if (saved or None) != now and not (saved == "" and not on_server):
            sentences.append(_("The saved choice is used from the next start."))
        sentences.append(_password_note(local_config.password_storage(data_dir)))
        self.server_status.setText(" ".join(s for s in sentences if s))

    def test_server(self) -> None:
        from app.local_config import test_connection, with_saved_password

        url = self.server_url.text().strip()
        if not url:
            self.server_status.setText(_("No address: the records stay on this laptop."))
            return
        self.server_status.setText(_("Trying to reach the server…"))
        self.server_test.setEnabled(False)

        def done(problem) -> None:
            self.server_test.setEnabled(True)
            self.server_status.setText(
                problem or _("The server answered. Save, then start the program again to use it.")
            )

        def failed(exc: BaseException) -> None:
            self.server_test.setEnabled(True)
            self.server_status.setText(_("Could not test the connection: {problem}").format(problem=exc))

        full = with_saved_password(self.host.ctx.locations.data_dir, url)  # the address is shown without it
        tasks.run(self, lambda: test_connection(full), done, failed)

    def save_server(self) -> None:
        from app import local_config

        url = self.server_url.text().strip()
        problem = local_config.database_url_problem(url)
        if problem:
            self.server_status.setText(problem)
            return
        data_dir = self.host.ctx.locations.data_dir
        kept_in = local_config.save_database_url(data_dir, url)
        self.server_url.setText(local_config.shown_address(data_dir))
        if url:
            note = _password_note(kept_in)
            said = _("Saved. The program uses this server from its next start.")
            self.server_status.setText(f"{said} {note}" if note else said)  # whole sentences, one after another
        else:
            self.server_status.setText(
                _("Saved. The records stay on this laptop (from the next start, if they are on a server now).")
            )


def _password_note(kept_in: str | None) -> str:
    """Where the server password is kept, said plainly (issue 14: say so when there is no keyring)."""
    from app import local_config

    if kept_in == local_config.KEYRING:
        return _("Its password is kept in this computer's keyring, not in the program's files.")
    if kept_in == local_config.IN_FILE:
        return _(
            "This computer has no keyring, so the server's password is kept in config.json in the records "
            "folder, readable only by your account on this computer. Anyone who can sign in to your account "
            "can read it."
        )
    return ""
