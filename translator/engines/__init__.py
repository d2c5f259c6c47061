"""Model backends behind one `Engine` protocol: the embedded llama.cpp model, SGLang and
OpenAI-compatible servers."""
