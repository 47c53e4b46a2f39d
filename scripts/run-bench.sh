#!/usr/bin/env bash
# Runs each benchmark program given; they print `name: value unit` lines.
set -uo pipefail
export TUTTI_TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
export BUILD TUTTI="$TUTTI_TOP/$BUILD/bin/tutti"
rc=0
for b in "$@"; do
  case "$b" in
    *.sh) bash "$b" || rc=1 ;;
    *) "$b" || rc=1 ;;
  esac
done
exit $rc
