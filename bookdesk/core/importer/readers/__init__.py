"""One reader per format; ``read_unit`` picks the right one."""
