#!/usr/bin/env bash
# Installs the worker's systemd units. glimpse-worker.path is enabled: at boot it waits for
# /etc/glimpse/worker.env (written by the launch template's user data) and then starts
# glimpse-worker.service, so the worker never starts without its configuration.
set -euo pipefail
: "${UNIT_DIR:?}" "${GLIMPSE_MODEL_CACHE:?}"

# The worker may add a model other than the baked one to its cache.
chown -R glimpse:glimpse "$GLIMPSE_MODEL_CACHE"

install -d -m 0755 /etc/glimpse
install -m 0644 "$UNIT_DIR/glimpse-worker.service" /etc/systemd/system/glimpse-worker.service
install -m 0644 "$UNIT_DIR/glimpse-worker.path" /etc/systemd/system/glimpse-worker.path
rm -f "$UNIT_DIR/glimpse-worker.service" "$UNIT_DIR/glimpse-worker.path"

systemd-analyze verify /etc/systemd/system/glimpse-worker.service /etc/systemd/system/glimpse-worker.path
systemctl daemon-reload
systemctl enable glimpse-worker.path
# The image must not carry a configuration of the build instance.
rm -f /etc/glimpse/worker.env
