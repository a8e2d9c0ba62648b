"""Whom a reader can ask when an agency has published no contact: the office that issued the
document (its contact, when the registry has one) and the public service hotline (config.yaml's
public_hotline). Pages say what the reader can do, never what an editor should do."""
from __future__ import annotations

import re
from typing import Iterable

from .. import paths
from ..library.library import Library
from ..model import Document
from . import views

_SEPARATORS = re.compile(r"[、，,；;\s]+")


def issuer_contacts(docs: Iterable[Document], library: Library, urls: paths.Urls) -> list[dict]:
    """The offices that issued these documents, each once, in order: its name, its page ("" when
    it has none) and its phone, address and website from the registry ("" when unknown).
    A joint issuer (中共赣州市委、赣州市人民政府) is each of its offices."""
    found: dict[str, dict] = {}
    for doc in docs:
        for written in filter(None, _SEPARATORS.split(doc.issuer or "")):
            if written in ("待填写",):
                continue
            link = views.agency_link(written, library, urls)
            agency = library.registry.agencies.get(link["name"])
            contact = agency.contact if agency and not agency.collective else {}
            found.setdefault(link["name"], {
                "name": link["name"], "url": link["url"],
                **{key: str(contact.get(key) or "").strip() for key in ("phone", "address", "website")}})
    return list(found.values())
