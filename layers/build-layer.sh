#!/usr/bin/env bash
# build-layer.sh NAME OUTDIR — builds one of the layers that ship with tutti
# into OUTDIR (a directory that becomes /opt inside the sandbox):
#
#   jansson  lib/libjansson.so.4 (+ libjansson.so for linking), include/
#            (jansson.h, jansson_config.h) — from the system's libjansson.
#   curl     lib/libcurl.so.4 and every shared library it needs except
#            glibc's core (libc, libm, libpthread, libdl, ld-linux), found
#            with ldd; include/curl/; etc/ssl/certs/ca-certificates.crt
#            when the host has it.
#   greet    lib/libgreet.so.1 (+ libgreet.so), include/greet.h — compiled
#            from layers/greet/; this library exists nowhere else.
#
# Libraries are copied under their soname (symlinks dereferenced); the
# unversioned lib*.so names are relative symlinks, for linking only. The
# layer is built in OUTDIR.tmp and renamed into place, so an interrupted
# build never leaves a half layer behind.
#
# Exit codes: 0 built, 1 a library or tool was not found or failed, 2 usage.
set -euo pipefail

usage() { echo "usage: $0 jansson|curl|greet OUTDIR" >&2; exit 2; }
die() { echo "build-layer: $*" >&2; exit 1; }
[ $# -eq 2 ] || usage
name=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-cc}
LDCONFIG=$(command -v ldconfig || echo /sbin/ldconfig)

# find_lib SONAME [PKG]: the path of a shared library by soname, from
# pkg-config's libdir first, then the dynamic linker's cache.
find_lib() {
  local soname=$1 pkg=${2:-} dir path
  if [ -n "$pkg" ] && dir=$(pkg-config --variable=libdir "$pkg" 2>/dev/null) && [ -e "$dir/$soname" ]; then
    echo "$dir/$soname"; return 0
  fi
  path=$("$LDCONFIG" -p 2>/dev/null | awk -v s="$soname" '$1 == s && /x86-64|64bit|AArch64|aarch64/ { print $NF; exit }')
  [ -z "$path" ] && path=$("$LDCONFIG" -p 2>/dev/null | awk -v s="$soname" '$1 == s { print $NF; exit }')
  [ -n "$path" ] && [ -e "$path" ] || return 1
  echo "$path"
}

# include_dir PKG HEADER: the directory holding HEADER for PKG.
include_dir() {
  local pkg=$1 header=$2 d
  for d in $(pkg-config --cflags-only-I "$pkg" 2>/dev/null | sed 's/-I//g') \
           "$(pkg-config --variable=includedir "$pkg" 2>/dev/null)" \
           /usr/include/"$("$CC" -dumpmachine 2>/dev/null || echo none)" /usr/include; do
    [ -n "$d" ] && [ -e "$d/$header" ] && { echo "$d"; return 0; }
  done
  return 1
}

# glibc's core is the sandbox's own libc: never ship it in a layer.
is_core() {
  case "$1" in
    libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|ld-linux*|linux-vdso*|linux-gate*) return 0 ;;
  esac
  return 1
}

tmp="$out.tmp"
rm -rf "$tmp"
mkdir -p "$tmp/lib" "$tmp/include"
trap 'rm -rf "$tmp"' EXIT

case "$name" in
jansson)
  lib=$(find_lib libjansson.so.4 jansson) || die "libjansson.so.4 not found (apt-get install libjansson-dev)"
  cp -L "$lib" "$tmp/lib/libjansson.so.4"
  ln -s libjansson.so.4 "$tmp/lib/libjansson.so"
  inc=$(include_dir jansson jansson.h) || die "jansson.h not found (apt-get install libjansson-dev)"
  cp -L "$inc/jansson.h" "$tmp/include/"
  cfg=$(include_dir jansson jansson_config.h) || die "jansson_config.h not found"
  cp -L "$cfg/jansson_config.h" "$tmp/include/"
  ;;
curl)
  lib=$(find_lib libcurl.so.4 libcurl) || die "libcurl.so.4 not found (apt-get install libcurl4-openssl-dev)"
  cp -L "$lib" "$tmp/lib/libcurl.so.4"
  ln -s libcurl.so.4 "$tmp/lib/libcurl.so"
  # ldd lines: "libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)"
  ldd "$lib" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' > "$tmp/deps" || die "ldd $lib failed"
  while read -r soname path; do
    is_core "$soname" && continue
    cp -L "$path" "$tmp/lib/$soname"
  done < "$tmp/deps"
  rm -f "$tmp/deps"
  inc=$(include_dir libcurl curl/curl.h) || die "curl/curl.h not found (apt-get install libcurl4-openssl-dev)"
  cp -rL "$inc/curl" "$tmp/include/"
  if [ -r /etc/ssl/certs/ca-certificates.crt ]; then
    mkdir -p "$tmp/etc/ssl/certs"
    cp -L /etc/ssl/certs/ca-certificates.crt "$tmp/etc/ssl/certs/"
  fi
  ;;
greet)
  # shellcheck disable=SC2086 # CFLAGS is a list of flags
  "$CC" -std=c11 -Wall -Wextra -Werror -O2 -fPIC -shared ${CFLAGS:-} \
    -Wl,-soname,libgreet.so.1 -o "$tmp/lib/libgreet.so.1" "$here/greet/greet.c" || die "compiling libgreet failed"
  ln -s libgreet.so.1 "$tmp/lib/libgreet.so"
  cp "$here/greet/greet.h" "$tmp/include/"
  ;;
*)
  usage
  ;;
esac

chmod -R u+rwX,go+rX "$tmp"
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
