"""Whom a reader can ask when an agency has published no contact: the office that issued the
document (its contact, when the registry has one) and the public service hotline (config.yaml's
public_hotline). Pages say what the reader can do, never what an editor should do. It imports no
other page module, so any view (compilations, an agency's page) can use it."""
from __future__ import annotations

import re
from typing import Iterable

from .. import paths
from ..library.library import Library
from ..model import Document

_SEPARATORS = re.compile(r"[、，,；;\s]+")
PLACEHOLDER = "待填写"  # an issuer `add` could not read: `check` warns; no one to ask


def issuer_contacts(docs: Iterable[Document], library: Library, urls: paths.Urls) -> list[dict]:
    """The offices that issued these documents, each once, in order: its name, its page ("" when
    it has none) and its phone, address and website from the registry ("" when unknown).
    A joint issuer (中共赣州市委、赣州市人民政府) is each of its offices."""
    found: dict[str, dict] = {}
    for doc in docs:
        for written in filter(None, _SEPARATORS.split(doc.issuer or "")):
            if written == PLACEHOLDER:
                continue
            name = library.registry.resolve(written) or written
            slug = library.slugs["agencies"].get(name)
            agency = library.registry.agencies.get(name)
            contact = agency.contact if agency and not agency.collective else {}
            found.setdefault(name, {
                "name": name, "url": urls.term("agencies", slug) if slug else "",
                **{key: str(contact.get(key) or "").strip() for key in ("phone", "address", "website")}})
    return list(found.values())
