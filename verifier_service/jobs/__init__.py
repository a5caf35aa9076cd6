"""Large batches run in the background and are fetched by id."""
