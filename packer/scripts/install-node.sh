#!/usr/bin/env bash
# Installs Node.js $NODE_VERSION from the official linux-x64 tarball into /usr/local, after checking
# it against the pinned $NODE_SHA256 (worker.pkr.hcl; a new version changes both together).
set -euo pipefail
: "${NODE_VERSION:?NODE_VERSION (e.g. 24.11.1) is required}" "${NODE_SHA256:?NODE_SHA256 is required}"

tarball="node-v${NODE_VERSION}-linux-x64.tar.xz"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

curl -fsSL --proto '=https' -o "$work/$tarball" "https://nodejs.org/dist/v${NODE_VERSION}/${tarball}"
echo "${NODE_SHA256}  $work/$tarball" | sha256sum --check --strict -
tar -xJf "$work/$tarball" -C /usr/local --strip-components=1 --no-same-owner
[ "$(node --version)" = "v${NODE_VERSION}" ]
npm --version
