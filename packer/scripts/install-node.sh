#!/usr/bin/env bash
# Installs Node.js $NODE_MAJOR (latest release of that line) from the official tarball into
# /usr/local, after checking its sha256 against the release's SHASUMS256.txt.
set -euo pipefail
: "${NODE_MAJOR:?NODE_MAJOR (e.g. 24) is required}"

release="https://nodejs.org/dist/latest-v${NODE_MAJOR}.x"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

curl -fsSLO "$release/SHASUMS256.txt"
tarball="$(grep -oE "node-v${NODE_MAJOR}\.[0-9]+\.[0-9]+-linux-x64\.tar\.xz" SHASUMS256.txt | head -n 1)"
if [ -z "$tarball" ]; then
  echo "no linux-x64 tarball of Node $NODE_MAJOR listed at $release" >&2
  exit 1
fi
curl -fsSLO "$release/$tarball"
grep " ${tarball}\$" SHASUMS256.txt | sha256sum --check --strict -

tar -xJf "$tarball" -C /usr/local --strip-components=1 --no-same-owner
node --version
npm --version
