"""build.py serve: the watcher and its one build loop, the HTTP server, and the live-reload client
with the error overlay."""
