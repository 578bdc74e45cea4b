"""Reading book files and bringing them into the library."""
