#!/usr/bin/env bash
# The assessors' pipeline needs Debian's bubblewrap (the sandbox for learners' code); its
# PostgreSQL test needs a PostgreSQL server. Install what is asked for when missing and we are
# root with apt-get; otherwise say exactly what to install.
#   bash scripts/ensure_grading_tools.sh bubblewrap postgresql
set -euo pipefail
wanted=("${@:-bubblewrap}")
missing=()
for tool in "${wanted[@]}"; do
  case "$tool" in
    bubblewrap) command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap) ;;
    postgresql) { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; } || missing+=(postgresql) ;;
    *) echo "unknown tool: $tool (use bubblewrap or postgresql)" >&2; exit 2 ;;
  esac
done
exec bash "$(dirname "$0")/apt_install.sh" "grading" "${missing[@]}"
