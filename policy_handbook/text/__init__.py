"""How Chinese policy texts are written: reading a source file's bytes, Chinese numerals, the
outline of numbered headings, and the phrases that name agencies and deadlines.

Both the importer (to split and extract) and the build (document pages, deadline statuses) read
these conventions, so they sit below both."""
