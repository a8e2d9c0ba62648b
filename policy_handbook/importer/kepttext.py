"""The text import read from a .html, .docx or .pdf, kept beside it as <name>.txt, is the editors'
to correct too (a word a PDF's text layer garbled, a paragraph broken in the wrong place): import
must not lose that work when it reads the original again.

import-state.json remembers a fingerprint of the text import last wrote there ("texts"), so that,
like a card, the kept text can be told apart:
- absent, or still as import wrote it: import writes the text it reads now (the original or the
  reader changed) and reads the measures from it;
- changed by an editor while the original still reads as before: the editor's text is kept, and
  import reads the measures from it, so the cards' source lines point into it;
- changed by an editor while the original now reads differently (or import has no record of what
  it wrote, and the two differ): import cannot merge them, so it writes nothing for this document
  and says, at the first line where they part, what to do. The other documents are imported.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import Diagnostics


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class KeptText:
    text: str | None  # the text to read the measures from; None: this document is not imported
    write: bool  # write the fresh reading over the kept file
    record: str | None  # the fingerprint import-state keeps for the kept file
    edited: bool = False  # the editors' text is kept


def reconcile(fresh: str, kept_path: Path, kept_rel: str, source_name: str, base: str | None,
              diagnostics: Diagnostics) -> KeptText:
    """What to read and write for one kept text (see the module's docstring)."""
    try:
        kept = kept_path.read_bytes().decode("utf-8") if kept_path.is_file() else None
    except (OSError, UnicodeDecodeError):
        kept = None  # unreadable: import writes it afresh, as it always did
    if kept is None or kept == fresh:
        return KeptText(fresh, kept is None, fingerprint(fresh))
    if base is not None and fingerprint(kept) == base:
        return KeptText(fresh, True, fingerprint(fresh))  # import wrote it and nobody edited it
    if base is not None and fingerprint(fresh) == base:
        return KeptText(kept, False, base, edited=True)  # the editors' correction of an unchanged reading
    why = ("导入记录里没有它上次写出的样子，分不清是编辑改的还是原文变了" if base is None
           else f"它有编辑改过的地方，而 {source_name} 现在读出来的文字也变了")
    diagnostics.error(kept_rel, _first_difference(kept, fresh),
                      f"这份从 {source_name} 读出的文字和导入现在读出的不一样（从这一行起），{why}；"
                      "导入不会覆盖它，这份原文这次没有导入",
                      f"要保留你的修改：把 {Path(kept_rel).name} 另存到别处，删掉它再运行 build.py import"
                      "（导入会写出从原文新读出的文字），再把你的修改改进去；不要这些修改就直接删掉它再导入")
    return KeptText(None, False, base)


def _first_difference(a: str, b: str) -> int:
    for n, (x, y) in enumerate(zip(a.split("\n"), b.split("\n")), start=1):
        if x != y:
            return n
    return min(a.count("\n"), b.count("\n")) + 1
