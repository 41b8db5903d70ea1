"""What every page is given: the store, the settings and who is at the station."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from store.db import Store
from store.kit import KitRepo
from store.people import PeopleRepo, Person
from ui.settings import Key, Settings


class AppContext(QObject):
    """Shared state of the running app. Pages read it and listen to its signals."""

    person_changed = Signal(object)   # Person | None
    people_changed = Signal()
    data_changed = Signal(str)        # what changed: "recordings", "scores", "kit", ...
    status_message = Signal(str, int)  # text, milliseconds (0 = until replaced)

    def __init__(self, store: Store, settings: Settings, services: dict | None = None, parent=None):
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.people = PeopleRepo(store)
        self.kit = KitRepo(store)
        self.services = services or {}   # injected engines/factories (camera, microphone, ...)
        self._person: Person | None = None
        last = settings.value(Key.LAST_PERSON)
        if last:
            self._person = self.people.get(str(last))

    @property
    def person(self) -> Person | None:
        return self._person

    def set_person(self, person: Person | None) -> None:
        if person == self._person:
            return
        self._person = person
        if person is None:
            self.settings.remove(Key.LAST_PERSON)
        else:
            self.settings.set(Key.LAST_PERSON, person.id)
        self.person_changed.emit(person)

    def say(self, text: str, msecs: int = 5000) -> None:
        self.status_message.emit(text, msecs)
