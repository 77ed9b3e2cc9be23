#!/usr/bin/env bash
# Unpacks the built worker into $APP_DIR and installs its production dependencies, with
# onnxruntime-node's CUDA 12 binaries (the CPU binaries ship in the package and stay available).
set -euo pipefail
: "${APP_DIR:?}" "${WORKER_TARBALL:?}"

if ! id glimpse >/dev/null 2>&1; then
  useradd --system --home-dir /opt/glimpse --shell /usr/sbin/nologin glimpse
fi
install -d -m 0755 "$APP_DIR"
tar -xzf "$WORKER_TARBALL" -C "$APP_DIR" --no-same-owner
rm -f "$WORKER_TARBALL"
test -f "$APP_DIR/dist/worker/main.js"

cd "$APP_DIR"
npm install --omit=dev --no-audit --no-fund
# package.json denies onnxruntime-node's install script (offline CPU default); the AMI runs it
# explicitly to add the CUDA 12 execution provider.
(cd node_modules/onnxruntime-node && ONNXRUNTIME_NODE_INSTALL=cuda12 node script/install)
chown -R root:root "$APP_DIR"

# The driver of the base image must see the GPU the workers will use.
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version --format=csv
fi
