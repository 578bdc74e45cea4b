"""A little GraphQL: enough of the language to read the queries BookDesk sends Hardcover, and to
project a record onto what a query selects."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass


class GraphQLError(Exception):
    def __init__(self, message: str, path: str = "$") -> None:
        super().__init__(message)
        self.message, self.path = message, path


@dataclass
class Field:
    name: str
    alias: str
    args: dict
    selection: list[Field]


@dataclass(frozen=True)
class Var:
    name: str


_TOKEN = re.compile(r'\s*(?:(?P<spread>\.\.\.)|(?P<punct>[{}()\[\]:,!$=@])|(?P<string>"(?:[^"\\]|\\.)*")'
                    r'|(?P<number>-?\d+(?:\.\d+)?)|(?P<name>[_A-Za-z][_0-9A-Za-z]*)|(?P<comment>#[^\n]*))')


def _lex(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise GraphQLError(f"unexpected character {text[pos:pos + 10]!r}")
        pos = match.end()
        kind = match.lastgroup
        if kind != "comment":
            out.append((kind, match.group(kind)))
    return out


def parse_graphql(text: str) -> list[Field]:
    """The root fields of the one query operation in ``text``."""
    return _GraphQLParser(_lex(text)).operation()


class _GraphQLParser:
    """A recursive-descent reader of the GraphQL this fake accepts: one query, no fragments."""

    def __init__(self, toks: list[tuple[str, str]]) -> None:
        self.toks = toks
        self.pos = 0

    def peek(self, value: str | None = None) -> bool:
        return self.pos < len(self.toks) and (value is None or self.toks[self.pos][1] == value)

    def take(self, value: str | None = None) -> str:
        if self.pos >= len(self.toks) or (value is not None and self.toks[self.pos][1] != value):
            raise GraphQLError(f"expected {value or 'more'} at token {self.pos}")
        self.pos += 1
        return self.toks[self.pos - 1][1]

    def operation(self) -> list[Field]:
        if self.peek("query"):
            self.take("query")
            if self.pos < len(self.toks) and self.toks[self.pos][0] == "name":
                self.take()
            if self.peek("("):  # variable definitions: ($value: String!, $limit: Int!)
                depth = 0
                while True:
                    token = self.take()
                    depth += token == "("
                    depth -= token == ")"
                    if depth == 0:
                        break
        elif self.peek("mutation"):
            raise GraphQLError("mutations are not allowed here")
        fields = self.selection()
        if self.pos != len(self.toks):
            raise GraphQLError("more than one operation")
        return fields

    def selection(self) -> list[Field]:
        self.take("{")
        fields = []
        while not self.peek("}"):
            if self.peek("..."):
                raise GraphQLError("fragments are not supported by this fake")
            name = self.take()
            alias = name
            if self.peek(":"):
                self.take(":")
                name = self.take()
            args = self.arguments()
            sub = self.selection() if self.peek("{") else []
            fields.append(Field(name, alias, args, sub))
            self._comma()
        self.take("}")
        return fields

    def arguments(self) -> dict:
        return dict(self._sequence("(", ")", self._pair)) if self.peek("(") else {}

    def value(self) -> object:
        kind, text_ = self.toks[self.pos]
        if text_ == "$":
            self.take("$")
            return Var(self.take())
        if text_ == "{":
            return self._object()
        if text_ == "[":
            return self._list()
        self.take()
        if kind == "string":
            return json.loads(text_)
        if kind == "number":
            return float(text_) if "." in text_ else int(text_)
        return {"true": True, "false": False, "null": None}.get(text_, text_)  # enums stay words

    def _object(self) -> dict:
        return dict(self._sequence("{", "}", self._pair))

    def _list(self) -> list:
        return self._sequence("[", "]", self.value)

    def _pair(self) -> tuple[str, object]:
        name = self.take()
        self.take(":")
        return name, self.value()

    def _sequence(self, opening: str, closing: str, item: Callable[[], object]) -> list:
        self.take(opening)
        items = []
        while not self.peek(closing):
            items.append(item())
            self._comma()
        self.take(closing)
        return items

    def _comma(self) -> None:
        if self.peek(","):
            self.take(",")


def resolve(value: object, variables: Mapping) -> object:
    if isinstance(value, Var):
        if value.name not in variables:
            raise GraphQLError(f"variable '{value.name}' is not defined", "$.variableValues")
        return variables[value.name]
    if isinstance(value, dict):
        return {k: resolve(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, variables) for v in value]
    return value
