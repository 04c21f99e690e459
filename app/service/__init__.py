"""The service floor: one object per signed-in person, the only way the window and the command
line reach the records.

`Training(db, content, actor)` is like Anki's `mw.col`: the screens and commands call its parts
(`.people`, `.settings`, `.progress`, `.sign_offs`, `.certificates`, `.records`) and never pass
record ids of who is acting: the actor is fixed when the session is made, and every change is
checked against the actor's role in the domain. Operations that change records return the
`Changes` they made, so views refresh from what changed instead of being told by hand.
"""

from app.core.errors import Cancelled, PermissionDenied, TrainingError

from .changes import Changes
from .training import Training

__all__ = ["Cancelled", "Changes", "PermissionDenied", "Training", "TrainingError"]
