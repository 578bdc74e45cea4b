"""Redaction has one home (bookdesk.redaction) and every way out passes it: each log handler, every
stored address and error, every error message shown, every line the CLI prints."""

from __future__ import annotations

import json
import logging

import pytest

from bookdesk import redaction
from bookdesk.core import logging_setup
from bookdesk.core.secrets import InMemorySecretStore
from bookdesk.data.download_repository import DownloadDraft, DownloadRepository
from bookdesk.data.job_repository import JobRepository
from bookdesk.errors import BookDeskError
from bookdesk.redaction import MASK, redact_text, remember, split_credentials, storable_url, with_params

log = logging.getLogger("bookdesk.tests.redaction")


@pytest.mark.parametrize(("text", "secret"), [
    ("GET http://reader:pa55word@books.example/opds failed", "pa55word"),
    ("https://ghp_abcdef123456@host/x", "ghp_abcdef123456"),
    ("fetching https://idx.example/dl?id=4&apikey=KEY123&x=1", "KEY123"),
    ("link: /download?passkey=trackerkey99", "trackerkey99"),
    ('{"token": "tok-abcdef"}', "tok-abcdef"),
    ("Authorization: Bearer tok-abcdef", "tok-abcdef"),
    ("password=hunter22&user=ann", "hunter22"),
])
def test_every_shape_of_a_credential_is_masked_in_text(text, secret):
    masked = redact_text(text)
    assert secret not in masked and MASK in masked


def test_a_remembered_secret_is_masked_wherever_it_appears_even_quoted_by_a_server():
    remember("echo-me-7Q2x")
    said = 'server: your credentials "echo-me-7Q2x" (echo-me-7Q2x) are wrong; see echo-me-7Q2x'
    assert "echo-me-7Q2x" not in redact_text(said)
    assert redaction.mask_known(said).count(MASK) == 3
    assert redaction.holds_known(said.encode())


def test_an_address_is_stored_without_its_login_and_gets_it_back_for_the_request():
    url = "https://ann:pa55word@idx.example:8443/dl/book.epub?id=4&apikey=KEY999"

    clean, login = split_credentials(url)

    assert clean == "https://idx.example:8443/dl/book.epub?id=4"
    assert storable_url(url) == clean
    assert (login.username, login.password, login.params) == ("ann", "pa55word", (("apikey", "KEY999"),))
    assert redaction.UrlCredentials.from_secret(login.to_secret()) == login
    assert with_params(clean, login) == "https://idx.example:8443/dl/book.epub?id=4&apikey=KEY999"
    assert "KEY999" not in redact_text(f"later, a server says {clean}&apikey=KEY999 again: KEY999")
    assert split_credentials("https://plain.example/a.epub?id=2") == ("https://plain.example/a.epub?id=2", None)


def test_a_secret_read_from_the_secret_store_is_masked_in_every_log_line(tmp_path):
    store = InMemorySecretStore({"hardcover-token": "tok-from-store-81"})
    path = logging_setup.setup_logging(folder=tmp_path / "logs")

    token = store.get("hardcover-token")
    log.warning("the server said %s", f"invalid token {token}", extra={"body": f"echo {token}", "api_key": "k"})
    try:
        raise RuntimeError(f"boom with {token} and http://u:secretpw1@h/x")
    except RuntimeError:
        log.exception("failed at %s", "http://u:secretpw1@h/x")

    for handler in logging.getLogger("bookdesk").handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "tok-from-store-81" not in text and "secretpw1" not in text
    first, second = (json.loads(line) for line in text.splitlines())
    assert first["message"] == "the server said invalid token ***" and first["api_key"] == MASK
    assert "RuntimeError: boom with ***" in second["traceback"]


def test_any_handler_installed_by_bookdesk_redacts_not_only_the_file(caplog):
    import io

    stream = io.StringIO()
    console = logging_setup.install(logging.StreamHandler(stream))
    logging.getLogger("bookdesk").addHandler(console)
    try:
        log.warning("opening %s", "http://reader:consolepw9@host/opds")
    finally:
        logging.getLogger("bookdesk").removeHandler(console)
    assert "consolepw9" not in stream.getvalue() and "reader:***@host" in stream.getvalue()


def test_an_error_message_never_carries_a_credential():
    remember("tok-in-a-message-5")
    error = BookDeskError("Hardcover could not answer: token tok-in-a-message-5 is not valid "
                          "(http://ann:pw-in-msg@host/x?apikey=KEYMSG1)")
    shown = str(error)
    assert "tok-in-a-message-5" not in shown and "pw-in-msg" not in shown and "KEYMSG1" not in shown


def test_the_catalog_stores_download_addresses_and_errors_without_credentials(catalog):
    with catalog.write() as session:
        repo = DownloadRepository(session)
        download_id = repo.add(DownloadDraft(url="http://ann:pw-row-1@host/b.epub?apikey=ROWKEY1", source="direct"))
        repo.update(download_id, last_error="http://ann:pw-row-1@host/b.epub refused", url="http://x:pw-row-2@h/b")
        jobs = JobRepository(session)
        jobs.create("fetch", "fetch http://ann:pw-row-3@host/b.epub", "BD-SECR1")
        jobs.finished("BD-SECR1", "failed", error="host said: apikey=ROWKEY2")
    with catalog.read() as session:
        record = DownloadRepository(session).get(download_id)
        job = JobRepository(session).get("BD-SECR1")
    stored = " ".join(str(v) for v in (record.url, record.last_error, job.title, job.error))
    assert record.url == "http://h/b"
    for secret in ("pw-row-1", "pw-row-2", "pw-row-3", "ROWKEY1", "ROWKEY2"):
        assert secret not in stored


def test_the_settings_file_never_holds_a_login_written_into_an_address(tmp_path):
    from bookdesk.core.settings import Settings, load_settings, save_settings

    path = tmp_path / "settings.json"
    save_settings(Settings(opds_catalogs=[{"name": "Shelf", "url": "https://ann:pw-settings-1@shelf.example/opds",
                                           "username": "ann"}],
                           indexers=[{"name": "Idx", "url": "http://idx.example/api?apikey=SETKEY1&t=search"}],
                           provider_urls={"hardcover": "https://tok-settings-2@mirror.example/v1/graphql"}),
                  path)

    text = path.read_text(encoding="utf-8")
    for secret in ("pw-settings-1", "SETKEY1", "tok-settings-2"):
        assert secret not in text
    loaded = load_settings(path)
    assert loaded.opds_catalogs[0]["url"] == "https://shelf.example/opds"
    assert loaded.indexers[0]["url"] == "http://idx.example/api?t=search"


def test_ordinary_words_and_addresses_are_left_as_they_are():
    for text in ("Hardcover refused the token; check it in Settings > Providers.",
                 "download resumed at byte 1048576", "https://books.example/a/b@v2/c.epub?id=3&page=2",
                 "The key to the series is book 3."):
        assert redact_text(text) == text


TRACKER_PARAMS = ["jackett_apikey", "apikey", "api-key", "x_api_key", "authkey", "passkey", "torrent_pass",
                  "access_token", "rss_token", "client_secret", "user_password", "passwd", "key", "private_key"]


@pytest.mark.parametrize("name", TRACKER_PARAMS)
def test_a_credential_parameter_is_known_by_its_name_however_the_tracker_spells_it(name):
    value = f"v4lue-{name}-8f3a"
    link = f"https://tracker.example/dl/7?id=3&{name}={value}&file=Kindred"

    assert value not in redact_text(f"GET {link} failed")
    assert value not in redact_text(f"{name}: {value}") and value not in redact_text(f'{{"{name}": "{value}"}}')
    assert value not in redaction.redact_url(link)
    clean, login = split_credentials(link)
    assert clean == "https://tracker.example/dl/7?id=3&file=Kindred" and login.params == ((name, value),)
    assert with_params(clean, login) == f"https://tracker.example/dl/7?id=3&file=Kindred&{name}={value}"


def test_a_secret_this_run_knows_is_taken_out_of_a_stored_address_whatever_its_parameter_is_called():
    remember("rss-feed-key-5d1c")
    link = "https://tracker.example/rss/get?id=9&r=rss-feed-key-5d1c"

    clean, login = split_credentials(link)

    assert clean == "https://tracker.example/rss/get?id=9" and storable_url(link) == clean
    assert with_params(clean, login) == link


def test_a_password_with_an_unencoded_at_sign_is_masked_and_stored_whole():
    url = "https://bob:p@ssw0rd-4e@host.example/x.epub?id=1"
    # Seen before the password is remembered (split_credentials remembers it): by the address's shape alone.
    for shown in (redact_text(f"fetching {url} failed"), redaction.redact_url(url)):
        assert "ssw0rd" not in shown and "bob:***@host.example/x.epub" in shown, shown

    clean, login = split_credentials(url)

    assert (clean, login.username, login.password) == ("https://host.example/x.epub?id=1", "bob", "p@ssw0rd-4e")


@pytest.mark.parametrize("secret", ['pa"ss-wo\\rd-61', "pa\\ss\tword-62", "pässwörd-63\u2028"])
def test_json_printed_by_a_command_never_holds_a_known_secret_in_its_escaped_form(capsys, secret):
    from bookdesk.cli.output import emit_json

    remember(secret)
    emit_json({"error": {"message": f"the server said {secret}", secret: [secret]}})

    out = capsys.readouterr().out
    for form in (secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]):
        assert form not in out
    assert json.loads(out)["error"]["message"] == f"the server said {MASK}"


@pytest.mark.parametrize("name", ["page_token", "pageToken", "nextPageToken", "sort_key", "groupkey", "keyword"])
def test_a_parameter_that_only_looks_like_a_credential_stays_in_the_address(name):
    # page_token taken out of the cache's key answered every page with the first one.
    link = f"https://api.example/v1/list?q=dune&{name}=CAMQAw"
    assert f"{name}=CAMQAw" in redaction.strip_secrets(link)
    assert storable_url(link) == link and redact_text(link) == link
