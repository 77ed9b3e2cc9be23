/** DI token of the SQSClient. */
export const SQS_CLIENT = Symbol('SQS_CLIENT');
/** DI token of the S3Client. */
export const S3_CLIENT = Symbol('S3_CLIENT');
/** DI token of the validated WebConfig. */
export const WEB_CONFIG = Symbol('WEB_CONFIG');
/** DI token of the ScalerNudge (optional). */
export const SCALER_NUDGE = Symbol('SCALER_NUDGE');
/** DI token of the in-memory MetricSeries (optional; local stack only). */
export const METRIC_SERIES = Symbol('METRIC_SERIES');
