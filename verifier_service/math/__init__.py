"""Math answers: extraction, normalisation, guards, parsing and equivalence."""
