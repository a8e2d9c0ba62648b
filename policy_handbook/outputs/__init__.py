"""What the build writes: the files beside the pages (Atom feeds, sitemap, iCalendar, open data),
site/ itself (swapped in whole, or updated file by file in the preview), and the Pagefind index."""
