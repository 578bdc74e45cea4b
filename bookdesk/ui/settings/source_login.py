"""A login written into a source's address (``https://ann:pw@host/opds``, ``...api?apikey=KEY``) in the
Sources settings: moved into the source's own fields (its user name, and its password or API key,
which the keyring keeps), or refused with where it belongs. Never dropped unsaid: the settings file
keeps addresses without logins (core/settings.py), and a key lost there is a source that stops
answering with nobody told why."""

from __future__ import annotations

from dataclasses import dataclass

from bookdesk.errors import UsageError
from bookdesk.redaction import split_credentials

WHAT = {"opds": "catalog", "indexer": "indexer", "client": "download client",
        "audiobookshelf": "Audiobookshelf server"}
# The query parameter a source of each kind is sent its key in: only that one can be moved to the
# secret field (an indexer's key goes out as ?apikey=, see acquisition/torznab.py).
KEY_PARAM = {"indexer": "apikey"}


@dataclass(frozen=True, slots=True)
class LoginMoved:
    """The source with its address cleaned and its fields filled, its secret, and what to tell."""

    source: dict
    secret: str
    said: str


def move_login(kind: str, source: dict, secret: str, labels: dict[str, str]) -> LoginMoved | None:
    """The login in ``source``'s address moved into its fields (``labels``: field key -> label, of the
    fields the form of ``kind`` has; ``secret``: what is typed in its secret field now). None when the
    address holds none; raises UsageError, saying where it belongs, when it cannot be moved."""
    url = source.get("url")
    if not isinstance(url, str):
        return None
    clean, found = split_credentials(url)
    if found is None:
        return None
    where = f"the address of the {WHAT[kind]} {source.get('name', '')!r}"
    secret_label = labels.get("password", "password")
    moved = dict(source, url=clean)
    new_secret, fields = secret, []
    if found.username:
        if "username" not in labels:
            raise UsageError(f"{where.capitalize()} has a user name written into it; this kind of source takes "
                             f"only an {secret_label}. Give the address without it.")
        if source.get("username") and source["username"] != found.username:
            raise UsageError(f"{where.capitalize()} names the user {found.username!r}, but its user name field "
                             f"says {source['username']!r}; keep one, in the user name field.")
        moved["username"] = found.username
        fields.append(_lower(labels["username"]))
    values = [(found.password, "password")] if found.password else []
    for name, value in found.params:
        if name.lower() != KEY_PARAM.get(kind):
            raise UsageError(f"{where.capitalize()} has a key written into it ({name}=…), which BookDesk cannot "
                             f"keep in the keyring for a {WHAT[kind]}. Give the address without it"
                             + (f", and the key in the {secret_label} field." if kind in KEY_PARAM else "."))
        values.append((value, "key"))
    if len(values) > 1 or (values and secret and secret != values[0][0]):
        raise UsageError(f"{where.capitalize()} has a {values[0][1]} written into it, and the {secret_label} field "
                         f"another; keep one, in the {secret_label} field.")
    if values:
        new_secret = values[0][0]
        fields.append(_lower(secret_label))
    return LoginMoved(moved, new_secret,
                      f"The login written into {where} was moved to its {' and '.join(fields)} field"
                      f"{'s' if len(fields) > 1 else ''}, where the keyring keeps it (the settings file never "
                      "holds one). Check them and save again.")


def _lower(label: str) -> str:
    """A field's label inside a sentence: "Password" as "password", "API key" as it is."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]
