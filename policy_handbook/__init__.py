"""policy-handbook: turns Chinese policy documents into a handbook of knowledge cards.

One folder per stage, in the order data flows; imports point only to an earlier stage or to the
shared vocabulary beside this file (tests/test_layout.py keeps it so):

    text/      how policy texts are written: decoding, numbering, outline, agency and deadline phrases
    content/   load and validate content/: front matter, schema, registry, taxonomy (all errors at once)
    library/   link: reading order, indexes, slugs, related cards, editor links and bodies, facts
    pages/     a plan per page, its view and template, rendered to bytes; link checks; what a change touches
    outputs/   the files beside the pages (feeds, calendars, open data), writing site/, the search index
    preview/   build.py serve: watcher and build loop, HTTP server, live reload and error overlay
    importer/  build.py import and new: source text -> card files that editors then own

Shared vocabulary: model.py (Card, Document), errors.py (Diagnostics), paths.py (ids -> URLs and
output paths), config.py (config.yaml), yamlfile.py (the one bounded YAML reader), dates.py (the
dates accepted). pipeline.py runs the stages of a build.
"""
