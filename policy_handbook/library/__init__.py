"""Link the loaded content into a Library: reading order and series, indexes by agency, topic,
deadline, region and beneficiary, URL slugs, related cards, editor links with backlinks, rendered
card bodies, and the facts views share (roles, deadline views, contacts)."""
