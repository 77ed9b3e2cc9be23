#!/usr/bin/env bash
# Bakes every built-in model (core/models/registry.ts) into $GLIMPSE_MODEL_CACHE with the worker's
# own loader, which downloads each file and keeps it only when size and sha256 match, and writes
# each model's folder (built-in/<name>/: model.json, model.onnx, labels.txt). Then checks every file
# again with sha256sum against the same registry, so a worker never downloads at boot, whichever
# built-in model it serves.
set -euo pipefail
: "${APP_DIR:?}" "${GLIMPSE_MODEL_CACHE:?}"

install -d -m 0755 "$GLIMPSE_MODEL_CACHE"
cd "$APP_DIR"

# Prints "<sha256>  <file name>" for every built-in's weights and labels, after preparing (and so
# downloading, or copying from GLIMPSE_MODEL_MIRROR when set, and verifying) each model's folder.
node --input-type=module > "$GLIMPSE_MODEL_CACHE/SHA256SUMS" <<'JS'
import { loadModelConfig } from './dist/core/config/model-config.js';
import { prepareBuiltInFolder } from './dist/core/models/model-folders.js';
import { BUILT_IN_MODEL_NAMES, modelSpec } from './dist/core/models/registry.js';

const config = loadModelConfig(process.env);
const sums = new Map();
// One model after another: a file that fails verification stops the bake before the next download.
for (const name of BUILT_IN_MODEL_NAMES) {
  const model = modelSpec(name);
  await prepareBuiltInFolder(model, { cacheDir: config.cacheDir, mirrorDir: config.mirrorDir });
  for (const artifact of [model.weights, model.labels]) sums.set(artifact.fileName, artifact.sha256);
}
for (const [fileName, sha256] of sums) console.log(`${sha256}  ${fileName}`);
JS

cd "$GLIMPSE_MODEL_CACHE"
sha256sum --check --strict SHA256SUMS
find . -type d -exec chmod 0755 {} +
find . -type f -exec chmod 0644 {} +
