import type { Consumer } from 'sqs-consumer';

/**
 * Stops an sqs-consumer at shutdown: its long poll is aborted (what an aborted poll was handed comes
 * back after its visibility timeout) and the returned promise resolves once the consumer says it
 * stopped. A consumer that is not running resolves at once (it would never say so).
 */
export async function stopConsumer(consumer: Consumer | undefined): Promise<void> {
  if (!consumer?.status.isRunning) return;
  const stopped = new Promise<void>((resolve) => consumer.once('stopped', () => resolve()));
  consumer.stop({ abort: true });
  await stopped;
}
