"""build.py import and build.py new: source texts become card files (measures, their agencies and
deadlines, topics), merged with what editors changed; new cards scaffolded with the next number."""
