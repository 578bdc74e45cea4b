"""What depends on the operating system but not on Qt: the keyring (and, later, start at login).
Both faces, the GUI and the command line, use it; core stays free of it."""
