"""One Settings dialog for everything: each page keeps what the person chose, Save checks every page
and keeps secrets only in the SecretStore, and the Scheduler page runs and reschedules jobs."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from bookdesk.core.scheduler import JobNotReadyError, Scheduler, SchedulerContext
from bookdesk.core.scheduler.entries import ScheduleEntry
from bookdesk.core.scheduler.timing import check_interval
from bookdesk.core.secrets import HARDCOVER_TOKEN, InMemorySecretStore, source_secret
from bookdesk.core.settings import Settings, load_settings, save_settings, settings_path
from bookdesk.ui.settings.schedule_text import interval_parts, last_run_text, next_run_text, state_text
from bookdesk.ui.settings.settings_dialog import PAGE_KEYS, SettingsDialog

NOW = datetime(2026, 3, 1, 12, 0, 0)


class FakeScheduler:
    """The scheduler's face to the page, in memory; records what it was asked."""

    def __init__(self) -> None:
        self._entries = {
            "rescan": ScheduleEntry("rescan", "Rescan the library and the watch folder", True, 3600,
                                    NOW - timedelta(minutes=20), NOW + timedelta(minutes=40), False),
            "search-wanted": ScheduleEntry("search-wanted", "Search for wanted books", True, 6 * 3600, None, None,
                                           False, needs_network=True),
            "backup-catalog": ScheduleEntry("backup-catalog", "Back up the catalog", False, 7 * 86400, None, None,
                                            False),
        }
        self.paused = False
        self.calls: list[tuple] = []

    def entries(self) -> list[ScheduleEntry]:
        return list(self._entries.values())

    def moved_on(self, kind: str, **changes: object) -> None:
        """As if the real scheduler had moved on meanwhile (a run happened, a time changed)."""
        self._entries[kind] = replace(self._entries[kind], **changes)

    def set_enabled(self, kind: str, enabled: bool) -> None:
        self.calls.append(("enabled", kind, enabled))
        self._entries[kind] = replace(self._entries[kind], enabled=enabled)

    def set_interval(self, kind: str, seconds: int) -> None:
        check_interval(seconds)
        self.calls.append(("interval", kind, seconds))
        self._entries[kind] = replace(self._entries[kind], interval_seconds=seconds)

    def run_now(self, kind: str) -> str:
        if kind == "search-wanted":
            raise JobNotReadyError("Search for wanted books: no indexer is set up yet.")
        self.calls.append(("run", kind))
        self._entries[kind] = replace(self._entries[kind], running=True, correlation_id="BD-RUN01")
        return "BD-RUN01"


@pytest.fixture
def secrets() -> InMemorySecretStore:
    return InMemorySecretStore()


@pytest.fixture
def make_dialog(qtbot, secrets, tmp_path):
    def make(settings: Settings | None = None, **options) -> SettingsDialog:
        options.setdefault("library", tmp_path / "Library")
        options.setdefault("tray_available", True)
        dialog = SettingsDialog(settings or Settings(), secrets, **options)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return make


def save(dialog: SettingsDialog) -> None:
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()


# ----- the dialog ------------------------------------------------------------------------------


def test_every_page_is_listed_and_the_dialog_opens_where_asked(make_dialog, qtbot):
    dialog = make_dialog(page="sources")
    titles = [dialog.page_list.item(i).text() for i in range(dialog.page_list.count())]
    assert titles == ["Library & Import", "Metadata Providers", "Sources & Clients", "Scheduler", "Appearance"]
    assert dialog.current_page() == "sources" and dialog.page_title.text() == "Sources & Clients"
    dialog.page_list.setFocus()
    qtbot.keyClick(dialog.page_list, Qt.Key.Key_Down)  # the keyboard moves between pages
    assert dialog.current_page() == "scheduler"
    assert [dialog.pages[k].title for k in PAGE_KEYS] == titles


def test_the_library_page_shows_the_open_library_and_previews_the_template(make_dialog, tmp_path):
    dialog = make_dialog()
    page = dialog.library_page
    assert page.library_label.text() == str(tmp_path / "Library")
    page.template.setText("{author}/{title}.{ext}")
    assert page.preview.text().splitlines() == ["Ursula K. Le Guin/A Wizard of Earthsea.epub",
                                                "Octavia E. Butler/Kindred.m4b"]


def test_save_keeps_every_pages_choices_and_secrets_only_in_the_secret_store(make_dialog, secrets):
    saved: list[Settings] = []

    def on_save(settings: Settings) -> None:
        save_settings(settings)
        saved.append(settings)

    dialog = make_dialog(on_save=on_save)
    dialog.library_page.template.setText("{author}/{title}.{ext}")
    dialog.library_page.mode.setCurrentIndex(dialog.library_page.mode.findData("move"))
    dialog.show_page("providers")
    dialog.providers_page.tokens["hardcover"].setText("hc-token-123456")
    dialog.providers_page.order.item(0).setCheckState(Qt.CheckState.Unchecked)
    dialog.show_page("sources")
    catalogs = dialog.sources_page.lists["opds"]
    catalogs.add()
    catalogs.editors["name"].setText("Home")
    catalogs.editors["url"].setText("http://192.168.1.5:8080/opds")
    catalogs.editors["password"].setText("catalog-pass-99")
    dialog.sources_page.concurrency.setValue(5)
    dialog.show_page("appearance")
    dialog.appearance_page.theme.setCurrentIndex(dialog.appearance_page.theme.findData("dark"))
    dialog.appearance_page.start_at_login.setChecked(True)
    save(dialog)

    assert dialog.result() == dialog.DialogCode.Accepted
    [edited] = saved
    assert dialog.edited == edited
    assert (edited.import_template, edited.import_mode) == ("{author}/{title}.{ext}", "move")
    assert edited.providers_enabled["hardcover"] is False
    assert edited.opds_catalogs == [{"name": "Home", "url": "http://192.168.1.5:8080/opds", "username": ""}]
    assert edited.download_concurrency == 5
    assert (edited.theme, edited.start_at_login, edited.close_to_tray) == ("dark", True, True)
    assert secrets.get(HARDCOVER_TOKEN) == "hc-token-123456"
    assert secrets.get(source_secret("opds", "Home")) == "catalog-pass-99"
    written = settings_path().read_text(encoding="utf-8")
    assert "hc-token-123456" not in written and "catalog-pass-99" not in written
    assert load_settings() == edited


def test_a_bad_value_shows_its_page_and_nothing_is_kept(make_dialog, secrets):
    saved: list[Settings] = []
    dialog = make_dialog(on_save=saved.append, page="appearance")
    dialog.providers_page.tokens["hardcover"].setText("hc-token-123456")
    dialog.library_page.template.setText("{author}/{shoe_size}.{ext}")
    assert "unknown field {shoe_size}" in dialog.library_page.preview.text()
    save(dialog)
    assert dialog.isVisible() and saved == []
    assert dialog.current_page() == "library"
    assert dialog.problem.text().startswith("Library & Import:") and "shoe_size" in dialog.problem.text()
    assert secrets.get(HARDCOVER_TOKEN) is None  # nothing is committed while a page is wrong

    dialog.library_page.template.setText("{author}/{title}.{ext}")
    dialog.show_page("providers")
    dialog.providers_page.urls["openlibrary"].setText("openlibrary.org")
    save(dialog)
    assert dialog.current_page() == "providers" and "http://" in dialog.problem.text()


def test_cancel_keeps_nothing(make_dialog, secrets):
    saved: list[Settings] = []
    dialog = make_dialog(on_save=saved.append)
    dialog.providers_page.tokens["googlebooks"].setText("AIza-key-1234")
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert saved == [] and dialog.edited is None and secrets.get("googlebooks-api-key") is None


def test_a_failing_save_is_said_and_the_dialog_stays(make_dialog):
    def on_save(settings: Settings) -> None:
        raise OSError(28, "No space left on device")

    dialog = make_dialog(on_save=on_save)
    save(dialog)
    assert dialog.isVisible() and "could not be saved" in dialog.problem.text()


def test_the_sources_test_button_is_answered_through_the_dialog(make_dialog, qtbot):
    dialog = make_dialog(page="sources")
    indexers = dialog.sources_page.lists["indexer"]
    dialog.sources_page.tabs.setCurrentWidget(indexers)
    indexers.add()
    indexers.editors["url"].setText("http://localhost:9696/1/api")
    indexers.editors["password"].setText("idx-key-777")
    with qtbot.waitSignal(dialog.test_requested) as asked:
        indexers.test_button.click()
    kind, source, secret = asked.args
    assert (kind, source["url"], secret) == ("indexer", "http://localhost:9696/1/api", "idx-key-777")
    dialog.show_test_result("indexer", True, "Prowlarr answers: 12 categories")
    assert indexers.result.text() == "✔ Prowlarr answers: 12 categories"


def test_a_renamed_source_takes_its_secret_along_and_a_removed_one_leaves_none(make_dialog, secrets):
    settings = Settings(opds_catalogs=[{"name": "Old name", "url": "http://a.example/opds", "username": "me"},
                                       {"name": "Gone", "url": "http://b.example/opds", "username": ""}])
    secrets.set(source_secret("opds", "Old name"), "kept-secret")
    secrets.set(source_secret("opds", "Gone"), "gone-secret")
    dialog = make_dialog(settings, on_save=lambda s: None, page="sources")
    catalogs = dialog.sources_page.lists["opds"]
    assert catalogs.editors["password"].placeholderText() == "kept in the keyring"
    catalogs.editors["name"].setText("New name")
    catalogs.names.setCurrentRow(1)
    catalogs.remove()
    save(dialog)
    assert [c["name"] for c in dialog.edited.opds_catalogs] == ["New name"]
    assert secrets.get(source_secret("opds", "New name")) == "kept-secret"
    assert secrets.get(source_secret("opds", "Old name")) is None
    assert secrets.get(source_secret("opds", "Gone")) is None


def test_mappings_typed_wrong_are_kept_while_moving_between_clients_and_refused_on_save(make_dialog):
    dialog = make_dialog(page="sources")
    clients = dialog.sources_page.lists["client"]
    clients.add()
    clients.editors["url"].setText("http://localhost:8080")
    clients.editors["path_mappings"].setPlainText("/data/books /home/me/books")
    clients.add()
    clients.editors["url"].setText("http://localhost:9091")
    clients.names.setCurrentRow(0)
    assert clients.editors["path_mappings"].toPlainText() == "/data/books /home/me/books"
    save(dialog)
    assert dialog.current_page() == "sources" and "=>" in dialog.problem.text()


JACKETT = "http://localhost:9117/api/v2.0/indexers/all/results/torznab/api"


def test_a_key_written_into_an_indexer_address_goes_to_the_keyring_and_the_person_is_told(make_dialog, secrets):
    saved: list[Settings] = []
    dialog = make_dialog(on_save=lambda s: (save_settings(s), saved.append(s)), page="sources")
    indexers = dialog.sources_page.lists["indexer"]
    indexers.add()
    indexers.editors["name"].setText("Jackett")
    indexers.editors["url"].setText(f"{JACKETT}?apikey=JKT-KEY-4411&t=search")

    save(dialog)  # the first time: moved into its own field, and said so

    assert dialog.isVisible() and saved == []
    assert "Jackett" in dialog.problem.text() and "API key" in dialog.problem.text()
    assert indexers.editors["url"].text() == f"{JACKETT}?t=search"
    assert indexers.editors["password"].text() == "JKT-KEY-4411"

    save(dialog)

    assert dialog.result() == dialog.DialogCode.Accepted
    assert saved[0].indexers[0]["url"] == f"{JACKETT}?t=search"
    assert secrets.get(source_secret("indexer", "Jackett")) == "JKT-KEY-4411"
    assert "JKT-KEY-4411" not in settings_path().read_text(encoding="utf-8")


def test_a_login_written_into_a_catalog_address_goes_to_its_fields(make_dialog, secrets):
    dialog = make_dialog(on_save=lambda s: None, page="sources")
    catalogs = dialog.sources_page.lists["opds"]
    catalogs.add()
    catalogs.editors["name"].setText("Shelf")
    catalogs.editors["url"].setText("https://ann:p@ss-shelf-21@shelf.example/opds")

    save(dialog)
    assert dialog.isVisible() and "Shelf" in dialog.problem.text() and "password" in dialog.problem.text()
    assert (catalogs.editors["url"].text(), catalogs.editors["username"].text(),
            catalogs.editors["password"].text()) == ("https://shelf.example/opds", "ann", "p@ss-shelf-21")
    save(dialog)

    assert dialog.edited.opds_catalogs == [{"name": "Shelf", "url": "https://shelf.example/opds", "username": "ann"}]
    assert secrets.get(source_secret("opds", "Shelf")) == "p@ss-shelf-21"


@pytest.mark.parametrize(("kind", "fields", "said"), [
    ("opds", {"url": "https://shelf.example/opds?apikey=CAT-KEY-31"}, "key"),  # a catalog keeps a password only
    ("indexer", {"url": f"{JACKETT}?apikey=IDX-KEY-1", "password": "IDX-KEY-2"}, "API key"),  # two keys
    ("indexer", {"url": f"{JACKETT}?jackett_apikey=IDX-KEY-3"}, "jackett_apikey"),  # not the one Torznab sends
    ("client", {"url": "http://bob:pw-client-9@localhost:8080", "username": "ann"}, "user name"),  # two users
])
def test_a_login_in_an_address_that_has_no_place_of_its_own_is_refused_and_nothing_is_saved(
        make_dialog, secrets, kind, fields, said):
    saved: list[Settings] = []
    dialog = make_dialog(on_save=saved.append, page="sources")
    sources = dialog.sources_page.lists[kind]
    sources.add()
    for key, value in fields.items():
        sources.editors[key].setText(value)

    save(dialog)
    save(dialog)  # nothing was moved: refused again

    assert dialog.isVisible() and saved == []
    assert said in dialog.problem.text() and "address" in dialog.problem.text()


def test_a_key_written_into_a_provider_address_is_refused_with_where_it_belongs(make_dialog):
    saved: list[Settings] = []
    dialog = make_dialog(on_save=saved.append, page="providers")
    dialog.providers_page.urls["googlebooks"].setText("https://mirror.example/books/v1?key=AIza-mirror-77")

    save(dialog)

    assert dialog.isVisible() and saved == [] and dialog.current_page() == "providers"
    assert "Google Books" in dialog.problem.text() and "Tokens" in dialog.problem.text()


# ----- the Scheduler page -----------------------------------------------------------------------


def scheduler_dialog(make_dialog, scheduler, **options) -> SettingsDialog:
    dialog = make_dialog(scheduler=scheduler, page="scheduler", **options)
    dialog.scheduler_page._now = lambda: NOW
    dialog.scheduler_page.refresh()
    return dialog


def row_texts(page, kind: str) -> dict[str, str]:
    row = page.kinds.index(kind)
    return {name: page.table.item(row, column).text() for name, column in
            (("job", 0), ("last", 2), ("next", 3), ("state", 4))}


def test_the_scheduler_page_lists_every_job_with_its_interval_and_times(qtbot, make_dialog):
    scheduler = FakeScheduler()
    page = scheduler_dialog(make_dialog, scheduler).scheduler_page
    assert page.table.rowCount() == 3
    assert row_texts(page, "rescan") == {"job": "Rescan the library and the watch folder", "last": "20 min ago",
                                         "next": "in 40 min", "state": "Scheduled"}
    assert row_texts(page, "search-wanted")["last"] == "Never"
    assert row_texts(page, "search-wanted")["next"] == "due now"
    assert row_texts(page, "backup-catalog")["state"] == "Off"
    job = page.table.item(page.kinds.index("backup-catalog"), 0)
    assert job.checkState() == Qt.CheckState.Unchecked
    every = page.interval_edits["search-wanted"]
    assert (every.count.value(), every.unit.currentText()) == (6, "hours")
    # It reads the schedule again while shown: a run that happened meanwhile shows without reopening.
    scheduler.moved_on("rescan", last_run=NOW - timedelta(minutes=5))
    qtbot.waitUntil(lambda: row_texts(page, "rescan")["last"] == "5 min ago", timeout=15_000)


def test_switching_and_rescheduling_jobs_takes_effect_on_save(make_dialog):
    scheduler = FakeScheduler()
    saved: list[Settings] = []
    dialog = scheduler_dialog(make_dialog, scheduler, on_save=saved.append)
    page = dialog.scheduler_page
    page.table.item(page.kinds.index("backup-catalog"), 0).setCheckState(Qt.CheckState.Checked)
    every = page.interval_edits["rescan"]
    every.unit.setCurrentIndex(every.unit.findData(60))
    every.count.setValue(30)
    page.pause_box.setChecked(True)
    assert row_texts(page, "rescan")["state"] == "Paused"
    page.refresh()  # a refresh in between keeps what the person changed
    assert every.seconds() == 1800
    assert scheduler.calls == []  # nothing yet: Cancel would leave the schedule as it was
    save(dialog)
    assert ("enabled", "backup-catalog", True) in scheduler.calls
    assert ("interval", "rescan", 1800) in scheduler.calls
    assert saved[0].automation_paused  # a setting: whoever saves it pauses the scheduler, as the tray's Pause does


def test_a_pause_from_the_tray_shows_on_the_open_page(make_dialog):
    scheduler = FakeScheduler()
    page = scheduler_dialog(make_dialog, scheduler).scheduler_page
    assert not page.pause_box.isChecked()
    scheduler.paused = True
    page.refresh()
    assert page.pause_box.isChecked() and row_texts(page, "rescan")["state"] == "Paused"


def test_run_now_starts_a_job_and_says_its_reference_or_why_it_cannot(make_dialog, qtbot):
    scheduler = FakeScheduler()
    dialog = scheduler_dialog(make_dialog, scheduler)
    page = dialog.scheduler_page
    with qtbot.waitSignal(dialog.run_started) as started:
        page.run_buttons["rescan"].click()
    assert started.args == ["rescan", "BD-RUN01"]
    assert "Ref BD-RUN01" in page.status.text()
    assert row_texts(page, "rescan")["state"] == "Running (Ref BD-RUN01)"
    page.run_buttons["search-wanted"].click()
    assert page.status.text() == "Search for wanted books: no indexer is set up yet."


def test_an_interval_the_scheduler_cannot_take_cannot_be_typed(make_dialog):
    page = scheduler_dialog(make_dialog, FakeScheduler()).scheduler_page
    every = page.interval_edits["rescan"]
    every.unit.setCurrentIndex(every.unit.findData(86400))
    every.count.setValue(9999)
    assert every.seconds() == 366 * 86400


def test_without_a_scheduler_the_page_says_automation_is_not_running(make_dialog):
    saved: list[Settings] = []
    dialog = make_dialog(page="scheduler", on_save=saved.append)
    assert dialog.scheduler_page.empty.title.text() == "Automation is not running"
    save(dialog)
    assert len(saved) == 1


def test_the_scheduler_page_drives_the_real_scheduler(make_dialog, service):
    context = SchedulerContext(service, Settings(), InMemorySecretStore())
    try:
        scheduler = Scheduler(context)
        dialog = scheduler_dialog(make_dialog, scheduler, on_save=lambda s: None)
        page = dialog.scheduler_page
        assert page.kinds == [e.kind for e in scheduler.entries()] and len(page.kinds) == 7
        page.table.item(page.kinds.index("prune-jobs"), 0).setCheckState(Qt.CheckState.Unchecked)
        page.interval_edits["backup-catalog"].count.setValue(2)  # days
        save(dialog)
        entries = {e.kind: e for e in scheduler.entries()}
        assert entries["prune-jobs"].enabled is False
        assert entries["backup-catalog"].interval_seconds == 2 * 86400
    finally:
        context.close()


@pytest.mark.parametrize(("seconds", "parts"), [(60, (1, 60)), (90 * 60, (90, 60)), (7200, (2, 3600)),
                                                (86400, (1, 86400)), (7 * 86400, (7, 86400))])
def test_intervals_are_shown_in_the_largest_whole_unit(seconds, parts):
    assert interval_parts(seconds) == parts


def test_times_and_states_are_said_as_a_person_would():
    entry = ScheduleEntry("rescan", "Rescan", True, 3600, NOW - timedelta(hours=3), NOW + timedelta(days=3),
                          False)
    assert last_run_text(entry.last_run, NOW) == "3 h ago"
    assert last_run_text(None, NOW) == "Never"
    assert next_run_text(entry, NOW, paused=False) == "in 3 days"
    assert next_run_text(replace(entry, next_run=NOW - timedelta(minutes=1)), NOW, paused=True) == "when resumed"
    assert state_text(replace(entry, waiting_for_network=True), paused=False) == "Waiting for the network"
    assert state_text(entry, paused=True) == "Paused"


# ----- the Appearance page -----------------------------------------------------------------------


def test_appearance_choices_are_kept_and_shown_again(make_dialog):
    dialog = make_dialog(on_save=save_settings, page="appearance")
    page = dialog.appearance_page
    assert page.close_to_tray.isChecked() and not page.start_at_login.isChecked()
    page.theme.setCurrentIndex(page.theme.findData("light"))
    page.close_to_tray.setChecked(False)
    save(dialog)

    again = make_dialog(load_settings(), page="appearance").appearance_page
    assert again.theme.currentData() == "light"
    assert not again.close_to_tray.isChecked()
    data = json.loads(settings_path().read_text(encoding="utf-8"))
    assert (data["theme"], data["close_to_tray"]) == ("light", False)


def test_without_a_tray_closing_to_it_is_not_offered(make_dialog):
    page = make_dialog(page="appearance", tray_available=False).appearance_page
    assert not page.close_to_tray.isEnabled() and "no tray" in page.tray_note.text()


def test_a_chosen_theme_is_applied_to_the_running_app(qapp):
    from bookdesk.ui.settings.theme_choice import apply_theme_choice
    from bookdesk.ui.theme import dark_palette

    try:
        apply_theme_choice(qapp, "dark")
        assert qapp.palette().window().color() == dark_palette().window().color()
        apply_theme_choice(qapp, "light")
        assert qapp.palette().window().color() == qapp.style().standardPalette().window().color()
    finally:
        apply_theme_choice(qapp, "system")


def test_a_watch_folder_that_is_a_file_is_refused(make_dialog, tmp_path):
    (tmp_path / "notes.txt").write_text("a file")
    dialog = make_dialog()
    dialog.library_page.watch_folder.setText(str(tmp_path / "notes.txt"))
    dialog.library_page.watch_enabled.setChecked(True)
    save(dialog)
    assert "is a file" in dialog.problem.text() and dialog.result() != dialog.DialogCode.Accepted
