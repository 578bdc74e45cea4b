"""The Settings dialog's Sources & Clients page: its Test button, secrets that follow a renamed
source, mappings checked on save, and keys or logins written into an address moved to their place
or refused."""

from __future__ import annotations

import pytest

from bookdesk.core.secrets import source_secret
from bookdesk.core.settings import Settings, save_settings, settings_path
from tests.ui import settings_dialog_harness
from tests.ui.settings_dialog_harness import save

# the dialog tests' fixtures (make_dialog finds the secret store by name, so it comes too)
secrets, make_dialog = settings_dialog_harness.secrets, settings_dialog_harness.make_dialog


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
