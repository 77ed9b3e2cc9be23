import { SCALER_METRICS } from '#core/metrics/metric-names.js';
import { loadScalerConfig } from '#core/config/scaler-config.js';
export const handler = async () => ({ m: SCALER_METRICS.backlog, c: loadScalerConfig({}, 'aws') });
