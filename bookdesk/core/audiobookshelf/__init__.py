"""BookDesk and Audiobookshelf servers as one library (issue 17): the servers in the settings
(``config.py``), the client of a server's API (``client.py``), its items as plain records
(``items.py``), and the pull that links them to works (``pull.py`` over ``linking.py``)."""
