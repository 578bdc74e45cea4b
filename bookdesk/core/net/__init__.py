"""Talking to the network politely: one rate limiter, one cache, one client, for every provider."""
