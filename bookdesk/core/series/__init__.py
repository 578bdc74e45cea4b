"""Series and authors: what is complete, what is missing, what is wanted (issue 5).

``gaps`` holds the rules, pure and fast; ``listing`` the records providers hand over;
``service.SeriesService`` reads and changes the catalog for the views and the CLI.
"""
