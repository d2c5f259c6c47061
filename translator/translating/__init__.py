"""The translation use case: plan a request into segments, run a mode or the search on each,
and serve it through the cache (single-flight, hot cache) with glossary hints and their fallback.
"""
