/**
 * CloudWatch metric names Glimpse emits, in one place: the code publishes exactly these and the
 * dashboard and alarms in serverless.yml name exactly these (a test checks).
 */
export const DEFAULT_METRICS_NAMESPACE = 'Glimpse';

/** Recorded by the scaler on every tick. */
export const SCALER_METRICS = {
  /** Jobs visible plus in flight plus delayed: everything not yet finished. */
  backlog: 'Backlog',
  /** Jobs received by a worker and not yet deleted. */
  inFlight: 'InFlight',
  /** Workers launched but not yet polling. */
  workersPending: 'WorkersPending',
  /** Workers running. */
  workersRunning: 'WorkersRunning',
  /** Workers leaving (a Spot interruption notice): finishing what they hold, receiving nothing more. */
  workersDraining: 'WorkersDraining',
  /**
   * Every worker the fleet lists, whatever its state: the workers paid for. Its average over a
   * period times the period is the period's worker-seconds (the cost receipt).
   */
  workersInFleet: 'WorkersInFleet',
  /** Workers the policy wants. */
  desiredWorkers: 'DesiredWorkers',
  /** Workers launched this tick. */
  workersLaunched: 'WorkersLaunched',
  /** Workers terminated this tick. */
  workersTerminated: 'WorkersTerminated',
} as const;

/** Recorded by the workers for each batch and image. */
export const WORKER_METRICS = {
  /** Images classified (done or failed). */
  imagesClassified: 'ImagesClassified',
  /** Images that ended `failed`. */
  imagesFailed: 'ImagesFailed',
  /** Images per onnxruntime call. */
  batchSize: 'BatchSize',
  /** Milliseconds of one onnxruntime call. */
  inferenceMs: 'InferenceMs',
  /** Milliseconds from upload to a worker receiving the job. */
  queueWaitMs: 'QueueWaitMs',
  /** Milliseconds from upload to the stored result. */
  endToEndMs: 'EndToEndMs',
} as const;

export type ScalerMetricName = (typeof SCALER_METRICS)[keyof typeof SCALER_METRICS];

/** Every metric name the code emits. */
export const ALL_METRIC_NAMES: readonly string[] = [...Object.values(SCALER_METRICS), ...Object.values(WORKER_METRICS)];
