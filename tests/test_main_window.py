"""The app shell: add and pick a person, visit every page, state that persists."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from ui.main_window import PAGES, MainWindow
from ui.widgets.person_dialog import AddPersonDialog


def _fill_add_person_dialog(qtbot, name: str, role: str, team: str):
    def fill():
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, AddPersonDialog) and w.isVisible())
        qtbot.keyClicks(dialog.name, name)
        dialog.role.setCurrentText(role)
        dialog.team.setCurrentText(team)
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    QTimer.singleShot(50, fill)


def test_add_and_pick_a_person_then_visit_every_page(main_window, context, qtbot):
    picker = main_window.picker
    _fill_add_person_dialog(qtbot, "Ana Lopez", "rep", "North")
    qtbot.mouseClick(picker.add_button, Qt.MouseButton.LeftButton)
    assert context.person is not None and context.person.name == "Ana Lopez"
    assert "Ana Lopez" in picker.combo.currentText()
    assert "Ana Lopez" in main_window.who.text()

    context.people.add("Cy Chen", "certifier")
    context.people_changed.emit()
    index = next(i for i in range(picker.combo.count()) if "Cy Chen" in picker.combo.itemText(i))
    picker.combo.setCurrentIndex(index)
    picker.combo.activated.emit(index)
    assert context.person.name == "Cy Chen"

    for number, spec in enumerate(PAGES):
        main_window.nav.setCurrentRow(number)
        page = main_window.stack.currentWidget()
        assert page is main_window.pages[spec.key]
        assert page.isVisible()
        title = page.findChild(QLabel, "pageTitle")
        assert title is not None and title.text() == spec.title

    main_window.activateWindow()
    qtbot.waitUntil(main_window.isActiveWindow)
    for number, spec in enumerate(PAGES, start=1):
        qtbot.keyClick(main_window, Qt.Key.Key_0 + number, Qt.KeyboardModifier.ControlModifier)
        assert main_window.current_page_key() == spec.key


def test_adding_a_person_with_a_taken_name_shows_why(main_window, context, qtbot):
    context.people.add("Ana Lopez", "rep")
    dialog = AddPersonDialog(context.people, [], main_window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "ana lopez")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and "already someone" in dialog.error.text()
    assert dialog.person is None


def test_geometry_page_and_person_persist(context, settings, qtbot):
    person = context.people.add("Bea Kim", "coach")
    first = MainWindow(context)
    qtbot.addWidget(first)
    first.show()
    first.resize(960, 722)  # the offscreen screen is 800 px wide: vary the height
    context.set_person(person)
    first.show_page(2)
    first.close()

    from ui.context import AppContext
    second_context = AppContext(context.store, settings)
    second = MainWindow(second_context)
    qtbot.addWidget(second)
    second.show()
    assert second_context.person == person
    assert second.current_page_key() == PAGES[2].key
    assert second.height() == 722


def test_settings_page_renames_the_station(main_window, context, qtbot):
    main_window.show_page(len(PAGES) - 1)
    page = main_window.pages["settings"]
    page.station_name.clear()
    qtbot.keyClicks(page.station_name, "Booth 3")
    page.station_name.editingFinished.emit()
    assert context.store.station_name == "Booth 3"
