# Sourced by the other scripts: makes sure uv exists and the locked environment is installed.
# Output goes to stderr so that commands piping translations keep a clean stdout.
UV_VERSION="0.13.8"
export PATH="$HOME/.local/bin:$PATH"
if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install --user --quiet "uv==${UV_VERSION}" >&2
fi
uv sync --frozen --quiet >&2
