#!/usr/bin/env bash
# layers/s3/build.sh OUTDIR OBJ... — the "s3" layer: lib/libtutti_s3.so
# (+ every shared library it needs but glibc's core: libs3, libcurl,
# libxml2, OpenSSL, ...), include/tutti_s3.h, etc/ssl/certs/ca-certificates.crt.
# libtutti_s3.so links the objects make compiled (layers/s3/tutti_s3.c and
# the bucket module) with only the tutti_s3_* functions exported. Built in
# OUTDIR.tmp, renamed into place. Exit codes: 0 built, 1 the link or a
# library failed, 2 usage.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 OUTDIR OBJ..." >&2; exit 2; }
out=$1 top=$(cd "$(dirname "$0")/../.." && pwd)
shift
CC=${CC:-cc}
tmp="$out.tmp"
rm -rf "$tmp"
mkdir -p "$tmp/lib" "$tmp/include"
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2046,SC2086 # pkg-config prints lists of flags
"$CC" -shared -Wl,-soname,libtutti_s3.so -Wl,--no-undefined \
  -Wl,--version-script="$top/layers/s3/tutti_s3.ver" -o "$tmp/lib/libtutti_s3.so" "$@" \
  $(pkg-config --libs libcurl libxml-2.0 openssl) -ls3 -lpthread || { echo "s3 layer: linking failed" >&2; exit 1; }
cp "$top/layers/s3/tutti_s3.h" "$tmp/include/"
ldd "$tmp/lib/libtutti_s3.so" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' > "$tmp/deps"
while read -r soname path; do
  case "$soname" in
    libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|ld-linux*|linux-vdso*) continue ;;
  esac
  cp -L "$path" "$tmp/lib/$soname"
done < "$tmp/deps"
rm -f "$tmp/deps"
if [ -r /etc/ssl/certs/ca-certificates.crt ]; then
  mkdir -p "$tmp/etc/ssl/certs"
  cp -L /etc/ssl/certs/ca-certificates.crt "$tmp/etc/ssl/certs/"
fi
chmod -R u+rwX,go+rX "$tmp"
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
