"""How BookDesk reads names: people, series positions, titles, and the text folding they share.

One home for each rule, used by every layer (import, matching, series, providers, ranking, the
catalog's sort keys and the window), so that "King, Stephen" or "Book 2" means the same
everywhere. Pure functions over text: no I/O, no catalog, no Qt; it sits below ``data`` so the
catalog can keep its sort keys with the same rules.
"""
