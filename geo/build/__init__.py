"""Scripts that build the shipped data files (boundaries, PLZ table, demo seed); never imported by the app."""
