"""The one home of redaction: what keeps passwords, tokens and keys out of log lines, stored
addresses, problem reports and the messages people see.

It sits below every other layer (standard library only) so that the catalog's repositories, the
errors and the logging filter all use the same rules:

- ``redact_text``: any text (a log line, an error message, a server's answer quoted in one) with the
  password of every ``scheme://user:password@`` address, the value of every credential parameter
  (``?apikey=``), of every ``token: ...`` / ``Authorization: Bearer ...`` pair, and every secret value
  this process knows masked as ``***``.
- ``remember``: a secret value this process has been given (read from the keyring or the
  environment, or taken out of an address), masked wherever it appears afterwards, even when a
  server echoes it back in words no pattern foresees.
- ``split_credentials`` / ``storable_url``: an address as it may be stored (no user, no password,
  no credential parameter), and what was taken out of it, to be kept in the keyring instead.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

MASK = "***"
# Query parameters that carry a credential in the APIs BookDesk talks to (Google's ``key``, Torznab's
# ``apikey``, Jackett's ``jackett_apikey``, private trackers' ``passkey``, ``authkey``, ``torrent_pass``)
# or might: known by the shape of the name, since every tracker spells its own.
# The kinds of key that are credentials ("sort_key" is not): any name ending in one of these.
_KEY_KINDS = r"(?:api|private|access|secret|auth|user|client|rss|session|download|torrent|site|license)[_.-]?key"
_CREDENTIAL_ENDINGS = _KEY_KINDS + r"|token|passw(?:or)?d|passkey|torrent_pass|secret"
_SECRET_PARAM = re.compile(r"(?i)(?:key|auth|pass|sig|signature|[\w.-]*(?:" + _CREDENTIAL_ENDINGS + "))")
# Names that end like a credential but page through a listing: "page_token" must stay in the cache's
# key of an answer, or every page is answered with the first.
_PAGING = re.compile(r"(?i)[\w.-]*(?:page|next|continuation|sync|cursor|resumption)[_.-]?token")
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key",
                            "api-key"})
MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words everywhere

# A field or extra named like this holds a credential whatever its value looks like.
SECRET_NAME = re.compile(r"(?i)token|api[_-]?key|passw(?:or)?d|passkey|authkey|torrent_?pass|secret|authorization"
                         r"|cookie")
# scheme://user:password@host: the userinfo ends at the last "@" before the path, so a password with an
# unencoded "@" is masked whole.
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^/\s:@?#]*)(?::([^/\s?#]*))?@(?=[^/\s@?#]*(?:[/?#\s]|$))")
_QUERY_PARAM = re.compile(r"([?&;]([\w.\-\[\]]+)=)([^&#\s\"'<>]+)")
# "token: abc", "password=abc", "Authorization: Bearer abc", '"jackett_apikey": "abc"', within one line.
_SECRET_PAIR = re.compile(r"(?i)(?<![\w.-])([\w.-]*(?:" + _CREDENTIAL_ENDINGS + r"|authorization|cookie)|key)"
                          r"(\"?[ \t]*[:=][ \t]*\"?)((?:bearer|basic|token)[ \t]+)?([^\s\",&]+)")

_known: set[str] = set()
_known_lock = threading.Lock()
_known_sorted: tuple[str, ...] = ()


def remember(value: str | None) -> None:
    """Mask ``value`` wherever it appears from now on in this process (a token read from the
    keyring, a password taken out of an address). Values too short to be told from words are not."""
    global _known_sorted
    if not value or len(value.strip()) < MIN_SECRET_LENGTH:
        return
    # As written in an address, and as escaped in JSON ('"' and '\\' are, and so is all but ASCII).
    forms = {value, value.strip(), quote(value, safe=""), quote(value), json.dumps(value)[1:-1],
             json.dumps(value, ensure_ascii=False)[1:-1]}
    with _known_lock:
        if forms <= _known:
            return
        _known.update(f for f in forms if len(f) >= MIN_SECRET_LENGTH)
        _known_sorted = tuple(sorted(_known, key=len, reverse=True))  # longest first: one may hold another


def knows_secrets() -> bool:
    """Whether this process knows any secret value to mask (most commands never read one)."""
    return bool(_known_sorted)


def mask_known(text: str) -> str:
    """``text`` with every secret value this process knows masked (and nothing else touched)."""
    for value in _known_sorted:
        if value in text:
            text = text.replace(value, MASK)
    return text


def holds_known(data: bytes | str) -> bool:
    """Whether ``data`` (an answer's body) carries a secret this process knows: a server echoing a
    token back. Such a body is not to be stored anywhere."""
    if isinstance(data, str):
        return any(value in data for value in _known_sorted)
    return any(value.encode() in data for value in _known_sorted)


def redact_text(text: str) -> str:
    """``text`` with everything that looks like a credential, and every known secret, masked."""
    if not text:
        return text
    text = mask_known(text)
    text = _URL_USERINFO.sub(_mask_userinfo, text)
    text = _QUERY_PARAM.sub(lambda m: f"{m.group(1)}{MASK}" if is_secret_param(m.group(2)) else m.group(0), text)
    # Line by line: the pattern allows white space before ":" or "=", which must not reach across
    # a line break ("...token" at a line's end, "==" at the next one's start).
    return "\n".join(_SECRET_PAIR.sub(_mask_pair, line) for line in text.split("\n"))


def _mask_userinfo(match: re.Match[str]) -> str:
    scheme, user, password = match.group(1), match.group(2), match.group(3)
    if password is None:  # https://TOKEN@host: a lone user part is often the credential itself
        return f"{scheme}{MASK}@"
    return f"{scheme}{user}:{MASK}@"


def _mask_pair(match: re.Match[str]) -> str:
    if match.group(4) == MASK or _PAGING.fullmatch(match.group(1)):
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}{match.group(3) or ''}{MASK}"


def redact_value(name: str, value: object) -> object:
    """One field of a log record or a settings file: masked whole when its name says it is a
    credential, redacted as text when it is text, left alone when it is a number or a flag."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if SECRET_NAME.search(name):
        return MASK
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {k: redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(name, v) for v in value]
    return redact_text(str(value))


def safe_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """``headers`` without anything that authenticates."""
    return {k: v for k, v in (headers or {}).items() if k.lower() not in SECRET_HEADERS}


def is_secret_param(name: str) -> bool:
    """Whether a query parameter called ``name`` carries a credential."""
    return _SECRET_PARAM.fullmatch(name) is not None and _PAGING.fullmatch(name) is None


def _is_taken(name: str, value: str) -> bool:
    """Whether a parameter is taken out of an address to be stored: a credential by its name, or by its
    value, one this process knows to be secret whatever the parameter is called."""
    return is_secret_param(name) or (len(value) >= MIN_SECRET_LENGTH and value in _known)


# ----- addresses ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UrlCredentials:
    """What ``split_credentials`` took out of an address: the login of its user part and its
    credential parameters, in the order they came."""

    username: str | None = None
    password: str | None = None
    params: tuple[tuple[str, str], ...] = ()

    def to_secret(self) -> str:
        """As one keyring entry."""
        return json.dumps({"username": self.username, "password": self.password,
                           "params": [list(p) for p in self.params]})

    @classmethod
    def from_secret(cls, text: str | None) -> UrlCredentials | None:
        if not text:
            return None
        try:
            data = json.loads(text)
            params = tuple((str(k), str(v)) for k, v in data.get("params") or ())
            found = cls(data.get("username"), data.get("password"), params)
        except (ValueError, TypeError, AttributeError):
            return None
        for value in found.values():  # read back by a later run: masked as when it was taken out
            remember(value)
        return found

    def values(self) -> list[str]:
        return [v for v in (self.password, *(v for _k, v in self.params)) if v]


def split_credentials(url: str) -> tuple[str, UrlCredentials | None]:
    """``url`` as it may be stored or shown (no ``user:password@``, no credential parameter), and what
    was taken out (None when nothing was). The values taken out are remembered, so they are masked
    wherever they show up later."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return redact_text(url), None
    netloc = parts.netloc
    username = password = None
    if "@" in netloc:
        userinfo, netloc = netloc.rsplit("@", 1)
        user, colon, secret = userinfo.partition(":")
        username = unquote(user) or None
        password = unquote(secret) if colon else None
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    taken = tuple((k, v) for k, v in pairs if _is_taken(k, v))
    if username is None and password is None and not taken:
        return url.strip(), None
    kept = [(k, v) for k, v in pairs if not _is_taken(k, v)]
    query = urlencode(kept) if taken else parts.query
    clean = urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    found = UrlCredentials(username, password, taken)
    for value in found.values():
        remember(value)
    return clean, found


def storable_url(url: str | None) -> str | None:
    """The one form in which an address is stored (catalog rows, job records, settings): without its
    credentials, which belong in the keyring."""
    return None if url is None else split_credentials(url)[0]


def with_params(url: str, credentials: UrlCredentials | None) -> str:
    """``url`` with the credential parameters of ``credentials`` put back (the login is given to the
    request separately, not written into the address)."""
    if credentials is None or not credentials.params:
        return url
    parts = urlsplit(url)
    taken = {k for k, _v in credentials.params}
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not is_secret_param(k) and k not in taken]
    return urlunsplit(parts._replace(query=urlencode([*pairs, *credentials.params])))


def redact_url(url: str) -> str:
    """``url`` with its password and the value of every credential parameter masked, for a log line
    or a message: the person still sees which address it was."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact_text(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user, colon, _secret = userinfo.partition(":")
        netloc = f"{user}:{MASK}@{host}" if colon else f"{MASK}@{host}"
    query = parts.query
    if query:
        pairs = [(k, MASK if is_secret_param(k) else v) for k, v in parse_qsl(query, keep_blank_values=True)]
        query = urlencode(pairs, safe="*:,")
    return mask_known(urlunsplit(parts._replace(netloc=netloc, query=query)))


def strip_secrets(url: str) -> str:
    """``url`` without its credentials, and with the rest in a stable order: what the response cache
    keys and stores (the answer does not depend on whose key asked)."""
    parts = urlsplit(url)
    pairs = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_secret_param(k))
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme.lower(), netloc.lower(), parts.path, urlencode(pairs), ""))
