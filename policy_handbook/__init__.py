"""policy-handbook: turns Chinese policy documents into a handbook of knowledge cards."""
