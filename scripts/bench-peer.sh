#!/usr/bin/env bash
# Installs the peer that `make bench` compares `tutti run` with:
# aws-local-stepfunctions (npm), into $TUTTI_BENCH_PEER (default
# /opt/tutti-bench-peer), outside the repository. Node.js comes from Debian
# when missing (as root). `make bench` installs nothing itself: without the
# peer it prints `SKIP:` lines for the asl_cmd.*.vs_peer figures.
# Exit codes: 0 installed (or already there), 1 failed.
set -euo pipefail
PEER=${TUTTI_BENCH_PEER:-/opt/tutti-bench-peer}
VERSION=3.0.0
if [ -f "$PEER/node_modules/aws-local-stepfunctions/package.json" ] &&
   [ "$(jq -r .version "$PEER/node_modules/aws-local-stepfunctions/package.json" 2>/dev/null)" = "$VERSION" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench-peer: npm missing; as root: apt-get install -y nodejs npm" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q nodejs npm >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && apt-get install -y -q nodejs npm >/dev/null; } || exit 1
fi
mkdir -p "$PEER"
npm install --silent --no-audit --no-fund --prefix "$PEER" "aws-local-stepfunctions@$VERSION" >/dev/null
echo "bench-peer: aws-local-stepfunctions@$VERSION in $PEER" >&2
