"""What every page is given: the store, the settings, the services and who is at the station.

Data changes travel as one typed value, ``store.changes.Changes``:

    context.notify(Changes.of("scores"), origin=self)           # after a scorecard is submitted
    context.on_change({"scores", "recordings"}, self.refresh, self)   # a page that shows them

A listener is not told of changes it made itself (``origin`` is the listener): it has updated already
(Anki's ``OpChanges`` handler argument does the same).

``on_change`` records who listens for what (``context.listeners``), so a test can check that every kind
the app emits has a listener and no listener waits for a kind nobody emits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from PySide6.QtCore import QObject, Signal, Slot

from store.changes import KINDS, Changes
from store.db import Store
from store.kit import KitRepo
from store.people import PeopleRepo, Person
from ui.settings import Key, Settings


@dataclass(eq=False)
class Listener:
    owner: str                 # the class that listens
    kinds: frozenset[str]
    what: str                  # the slot's name, for messages
    calls: list[frozenset[str]] = field(default_factory=list)   # the kinds of each change delivered


class _Relay(QObject):
    """Delivers matching changes to one slot; a child of the listener, so it goes when the listener goes."""

    def __init__(self, listener: Listener, slot: Callable, owner: QObject):
        super().__init__(owner)
        self.listener, self.slot, self.owner = listener, slot, owner

    @Slot(object, object)
    def deliver(self, changes: Changes, origin) -> None:
        if changes.touches(self.listener.kinds) and origin is not self.owner:
            self.listener.calls.append(changes.kinds())
            self.slot(changes)


class AppContext(QObject):
    """Shared state of the running app. Pages read it and listen to its signals."""

    person_changed = Signal(object)   # Person | None
    people_changed = Signal()         # also emitted for every Changes with people
    changed = Signal(object, object)  # store.changes.Changes, the object that made them (or None)
    status_message = Signal(str, int)  # text, milliseconds (0 = until replaced)

    def __init__(self, store: Store, settings: Settings, services=None, parent=None):
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.people = PeopleRepo(store)
        self.kit = KitRepo(store)
        if services is None:         # the app passes the ones main.py built; tests may rely on these
            from ui.services import build_services  # noqa: PLC0415
            services = build_services(store)
        self.services = services
        self.listeners: list[Listener] = []
        self._person: Person | None = None
        last = settings.value(Key.LAST_PERSON)
        if last:
            self._person = self.people.get(str(last))
        self.on_change({"people"}, lambda _c: self.people_changed.emit(), self)

    # -- changes -------------------------------------------------------------------------------------
    def notify(self, changes: Changes, origin: QObject | None = None) -> None:
        """Tell every page what changed (nothing happens for an empty Changes); ``origin``, the page
        or widget that made the change, is not told."""
        if changes:
            self.changed.emit(changes, origin)

    def on_change(self, kinds: Iterable[str], slot: Callable[[Changes], None], owner: QObject) -> None:
        """Call ``slot(changes)`` whenever a change touches one of ``kinds``, for as long as ``owner``
        lives."""
        kinds = frozenset(kinds)
        unknown = sorted(kinds - set(KINDS))
        if unknown or not kinds:
            raise ValueError(f"{type(owner).__name__} listens for unknown kinds of change {unknown}")
        listener = Listener(type(owner).__name__, kinds, getattr(slot, "__name__", repr(slot)))
        relay = _Relay(listener, slot, owner)
        self.changed.connect(relay.deliver)
        self.listeners.append(listener)

    # -- who is here ---------------------------------------------------------------------------------
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
