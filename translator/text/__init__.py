"""Text handling below every use case: language codes, detection, input checks, HTML text runs."""
