#!/usr/bin/env bash
# Bakes $GLIMPSE_MODEL into $GLIMPSE_MODEL_CACHE with the worker's own loader, which downloads each
# file named in core/models/registry.ts and keeps it only when size and sha256 match. Then checks
# every file again with sha256sum against the same registry, so a worker never downloads at boot.
set -euo pipefail
: "${APP_DIR:?}" "${GLIMPSE_MODEL:?}" "${GLIMPSE_MODEL_CACHE:?}"

install -d -m 0755 "$GLIMPSE_MODEL_CACHE"
cd "$APP_DIR"

# Prints "<sha256>  <file name>" for the model's weights and labels, after loading (and so
# downloading, or copying from GLIMPSE_MODEL_MIRROR when set, and verifying) them with loadModelFiles.
node --input-type=module > "$GLIMPSE_MODEL_CACHE/SHA256SUMS" <<'JS'
import { loadModelConfig } from './dist/core/config/model-config.js';
import { modelSpec } from './dist/core/models/registry.js';
import { loadModelFiles } from './dist/core/models/model-files.js';

const config = loadModelConfig(process.env);
const spec = modelSpec(config.model);
await loadModelFiles(spec, { cacheDir: config.cacheDir, mirrorDir: config.mirrorDir });
for (const artifact of [spec.weights, spec.labels]) console.log(`${artifact.sha256}  ${artifact.fileName}`);
JS

cd "$GLIMPSE_MODEL_CACHE"
sha256sum --check --strict SHA256SUMS
chmod 0644 ./*
