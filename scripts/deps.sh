#!/usr/bin/env bash
# Installs the Debian packages tutti needs to build and test, when missing.
# As root it runs apt-get; otherwise it prints the exact apt-get line and
# exits 2. Exit codes: 0 all present (or installed), 2 missing and not root,
# 1 apt-get failed.
set -euo pipefail
PKGS=(gcc make pkg-config jq libjansson-dev libseccomp-dev libcap-dev check
      libsubunit-dev libcurl4-openssl-dev libssl-dev libs3-dev libmicrohttpd-dev
      libsqlite3-dev libpq-dev libxml2-dev util-linux iproute2 curl python3
      bubblewrap)
[ -n "${TUTTI_EXTRA_PKGS:-}" ] && read -r -a extra <<<"$TUTTI_EXTRA_PKGS" && PKGS+=("${extra[@]}")
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
line="apt-get install -y ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "tutti: missing Debian packages; run as root:" >&2
  echo "  apt-get update && $line" >&2
  exit 2
fi
echo "tutti: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; } || exit 1
