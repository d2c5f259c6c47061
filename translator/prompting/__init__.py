"""What the search and the service both use: prompts and answer parsing, answer forcing, token
confidence, and the single-pass modes (direct, cot)."""
