"""Demo content for Folio Health: texts, generated images and the loader that creates them."""
