"""Load and validate content/: front matter, the card schema, the agency registry and regions, the
taxonomy; load.py turns it all into Content, reporting every problem at once."""
