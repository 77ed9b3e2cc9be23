/** One measurement. */
export interface MetricDatum {
  readonly name: string;
  readonly value: number;
  readonly unit: 'Count' | 'Milliseconds' | 'None';
  /** Epoch ms; defaults to when it is recorded. */
  readonly at?: number;
}

/** Where measurements go: CloudWatch on AWS, an in-memory series locally. */
export interface MetricsSink {
  record(data: readonly MetricDatum[]): void;
  /** Sends whatever is buffered. */
  flush(): Promise<void>;
}

/** Drops every measurement. */
export const NO_METRICS: MetricsSink = { record: () => undefined, flush: async () => undefined };
