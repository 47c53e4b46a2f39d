#!/usr/bin/env bash
# Installs the Debian packages tutti needs to build and test, when missing.
# As root it runs apt-get; otherwise it prints the exact apt-get line and
# exits 2. Exit codes: 0 all present (or installed), 2 missing and not root,
# 1 apt-get failed.
set -euo pipefail
PKGS=(gcc make pkg-config jq libjansson-dev libseccomp-dev libcap-dev check
      libsubunit-dev libcurl4-openssl-dev libssl-dev libs3-dev libmicrohttpd-dev
      libsqlite3-dev libpq-dev libxml2-dev util-linux iproute2 curl python3
      bubblewrap parallel tzdata libinih-dev awscli python3-boto3 wrk clang)
PKGS+=(libzip-dev)   # the Lambda API (server/svc_lambda*.c: zips)
PKGS+=(libgraphviz-dev)   # tutti graph and the console's graphs (graph/: libgvc)
PKGS+=(libpcre2-dev)   # the JSONata engine's regexes (jsonata/)
# --browser (make test): Debian's Chromium for the console's browser tests
# (tests/browser), driven by playwright-core from npm (/opt/playwright).
BROWSER=0
[ "${1:-}" = --browser ] && BROWSER=1 && PKGS+=(chromium)
[ -n "${TUTTI_EXTRA_PKGS:-}" ] && read -r -a extra <<<"$TUTTI_EXTRA_PKGS" && PKGS+=("${extra[@]}")
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# s3rver (npm), the real S3-compatible server the S3 tests start on
# 127.0.0.1: installed once under /opt/s3rver when root. Node.js may already
# be there (NodeSource's nodejs conflicts with Debian's npm package), so
# Debian's nodejs/npm are installed only when npm is missing. Failing to get
# it only makes those tests print SKIP.
s3rver() {
  [ "$(id -u)" -eq 0 ] || return 0
  [ -x /opt/s3rver/node_modules/.bin/s3rver ] && return 0
  if ! command -v npm >/dev/null 2>&1; then
    { apt-get install -y -q nodejs npm || { apt-get update -q && apt-get install -y -q nodejs npm; }; } >/dev/null 2>&1 || { echo "tutti: could not install nodejs/npm (S3 server tests will be skipped)" >&2; return 0; }
  fi
  echo "tutti: installing s3rver@3.7.1 into /opt/s3rver (npm)" >&2
  npm install --silent --prefix /opt/s3rver s3rver@3.7.1 >/dev/null 2>&1 ||
    echo "tutti: could not install s3rver from the npm registry (S3 server tests will be skipped)" >&2
}
# playwright-core (npm) drives /usr/bin/chromium in the browser tests:
# installed once under /opt/playwright when root; failing to get it only
# makes those tests print SKIP.
playwright() {
  [ "$BROWSER" = 1 ] && [ "$(id -u)" -eq 0 ] || return 0
  [ -f /opt/playwright/node_modules/playwright-core/package.json ] && return 0
  command -v npm >/dev/null 2>&1 || return 0
  echo "tutti: installing playwright-core@1.64.1 into /opt/playwright (npm)" >&2
  npm install --silent --prefix /opt/playwright playwright-core@1.64.1 >/dev/null 2>&1 ||
    echo "tutti: could not install playwright-core from the npm registry (browser tests will be skipped)" >&2
}
if [ ${#missing[@]} -eq 0 ]; then s3rver; playwright; exit 0; fi
line="apt-get install -y ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "tutti: missing Debian packages; run as root:" >&2
  echo "  apt-get update && $line" >&2
  exit 2
fi
echo "tutti: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; } || exit 1
s3rver
playwright
