"""Finding out what each book really is, from several providers, and correcting it undoably."""
