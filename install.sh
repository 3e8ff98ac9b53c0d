#!/usr/bin/env bash
# Install the kubectl-osb suite from this source tree: every kubectl-osb* binary, the kubectl completion
# helpers (kubectl_complete-osb*, links to kubectl-osb), man pages, and bash/zsh/fish completion scripts.
#
#   ./install.sh [--prefix DIR]          build (cargo --release) and install into DIR (default ~/.local)
#   ./install.sh [--prefix DIR] --uninstall
#   ./install.sh --from DIR [--prefix …]  install binaries already built in DIR (e.g. target/debug; no build)
#
# Layout under the prefix:
#   bin/kubectl-osb, bin/kubectl-osb-VERB…, bin/kubectl_complete-osb[-VERB]…
#   share/man/man1/kubectl-osb*.1
#   share/bash-completion/completions/, share/zsh/site-functions/, share/fish/vendor_completions.d/
#   share/kubectl-osb/install-receipt   (what was installed, and which directories were created)
# Installing again replaces the previous installation; --uninstall removes exactly what the receipt lists
# (and the directories the installation created, when empty). No network beyond cargo's own.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PREFIX="${HOME}/.local"
MODE=install
FROM=""

usage() { sed -n '2,/^[^#]/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX=${2:?--prefix needs a directory}; shift 2 ;;
    --prefix=*) PREFIX=${1#--prefix=}; shift ;;
    --from) FROM=${2:?--from needs a directory}; shift 2 ;;
    --from=*) FROM=${1#--from=}; shift ;;
    --uninstall) MODE=uninstall; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "error: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
case "$PREFIX" in /*) ;; *) PREFIX="$(pwd)/$PREFIX" ;; esac

BIN="$PREFIX/bin"
MAN="$PREFIX/share/man/man1"
BASH_DIR="$PREFIX/share/bash-completion/completions"
ZSH_DIR="$PREFIX/share/zsh/site-functions"
FISH_DIR="$PREFIX/share/fish/vendor_completions.d"
RECEIPT_DIR="$PREFIX/share/kubectl-osb"
RECEIPT="$RECEIPT_DIR/install-receipt"

say() { printf '%s\n' "$*"; }

uninstall() {
  local quiet=${1:-}
  if [ ! -f "$RECEIPT" ]; then
    [ -n "$quiet" ] || say "nothing to uninstall: no $RECEIPT"
    return 0
  fi
  local n=0 kind path dirs=()
  while IFS=' ' read -r kind path; do
    case "$kind" in
      f) if [ -e "$path" ] || [ -L "$path" ]; then rm -f -- "$path"; n=$((n + 1)); fi ;;
      d) dirs+=("$path") ;;
    esac
  done <"$RECEIPT"
  rm -f -- "$RECEIPT"
  # Directories the installation created, deepest first, if nothing else lives there.
  local i
  for ((i = ${#dirs[@]} - 1; i >= 0; i--)); do rmdir -- "${dirs[$i]}" 2>/dev/null || true; done
  [ -n "$quiet" ] || say "removed $n files of kubectl-osb from $PREFIX"
}

if [ "$MODE" = uninstall ]; then
  uninstall
  exit 0
fi

# --- build ---------------------------------------------------------------------------------------------
if [ -z "$FROM" ]; then
  command -v cargo >/dev/null || { echo "error: cargo is required (https://rustup.rs)" >&2; exit 1; }
  say "building the kubectl-osb suite (cargo build --release) …"
  (cd "$SRC" && cargo build --release --bins)
  FROM="$SRC/target/release"
fi
[ -x "$FROM/osb-gen" ] || { echo "error: $FROM/osb-gen not found: build the workspace binaries first" >&2; exit 1; }
mapfile -t BINS < <("$FROM/osb-gen" bins)
for b in "${BINS[@]}"; do
  [ -x "$FROM/$b" ] || { echo "error: $FROM/$b not found: build the workspace binaries first" >&2; exit 1; }
done

# --- install -------------------------------------------------------------------------------------------
uninstall quiet  # a previous installation (idempotent: the result is the same each time)
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
CREATED=()
mkdirs() {
  local d missing=() p
  for d in "$@"; do
    p=$d
    while [ ! -d "$p" ]; do missing=("$p" "${missing[@]}"); p=$(dirname "$p"); done
  done
  for p in "${missing[@]}"; do
    if [ ! -d "$p" ]; then mkdir -- "$p"; CREATED+=("$p"); fi
  done
}
mkdirs "$BIN" "$MAN" "$BASH_DIR" "$ZSH_DIR" "$FISH_DIR" "$RECEIPT_DIR"
FILES=()
put() {  # put SRC DEST MODE
  install -m "$3" -- "$1" "$2.kubectl-osb-new"
  mv -f -- "$2.kubectl-osb-new" "$2"
  FILES+=("$2")
}
link() {  # link NAME TARGET (in $BIN)
  ln -sfn -- "$2" "$BIN/$1"
  FILES+=("$BIN/$1")
}

for b in "${BINS[@]}"; do
  put "$FROM/$b" "$BIN/$b" 0755
  # kubectl ≥ 1.26 completes `kubectl osb VERB …` through kubectl_complete-osb-VERB.
  link "kubectl_complete-${b#kubectl-}" kubectl-osb
done
"$FROM/osb-gen" man --dir "$STAGE/man"
for f in "$STAGE"/man/*.1; do put "$f" "$MAN/$(basename "$f")" 0644; done
for f in "$SRC"/completions/bash/*; do put "$f" "$BASH_DIR/$(basename "$f")" 0644; done
for f in "$SRC"/completions/zsh/*; do put "$f" "$ZSH_DIR/$(basename "$f")" 0644; done
for f in "$SRC"/completions/fish/*; do put "$f" "$FISH_DIR/$(basename "$f")" 0644; done

{
  for d in "${CREATED[@]}"; do printf 'd %s\n' "$d"; done
  for f in "${FILES[@]}"; do printf 'f %s\n' "$f"; done
} >"$RECEIPT"

say "installed ${#BINS[@]} binaries, their completion helpers, man pages and shell completions into $PREFIX"
case ":${PATH}:" in
  *":$BIN:"*)
    found=$(command -v kubectl-osb || true)
    if [ -n "$found" ] && [ "$found" != "$BIN/kubectl-osb" ]; then
      say "warning: another kubectl-osb comes first on PATH: $found (kubectl will run that one)"
    fi ;;
  *)
    say "note: $BIN is not on your PATH, so kubectl will not find the plugins. Add it, e.g.:"
    say "  export PATH=\"$BIN:\$PATH\"" ;;
esac
say "Tab completion of \`kubectl osb …\` needs kubectl ≥ 1.26 with its completion enabled, e.g. source <(kubectl completion bash)."
