import type { MetadataService } from '@aws-sdk/ec2-metadata-service';
import { describeError } from '#core/errors.js';
import type { Logger } from '#core/logging/logger.js';

/** A Spot interruption notice: what EC2 will do to this instance, and when (epoch ms). */
export interface InterruptionNotice {
  readonly action: string;
  readonly at: number;
}

const NOTICE_PATH = '/latest/meta-data/spot/instance-action';

/**
 * The instance's Spot interruption notice (IMDSv2 `spot/instance-action`), or undefined while
 * none is scheduled: the path answers 404 until EC2 gives its two minutes' warning.
 */
export async function readInterruptionNotice(
  metadata: Pick<MetadataService, 'request'>,
  now = Date.now(),
): Promise<InterruptionNotice | undefined> {
  let body: string;
  try {
    body = await metadata.request(NOTICE_PATH, {});
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw error;
  }
  const notice = JSON.parse(body) as { action?: unknown; time?: unknown };
  const at = typeof notice.time === 'string' ? Date.parse(notice.time) : NaN;
  // A notice without a readable time still means the instance goes: assume the documented two minutes.
  return { action: String(notice.action ?? 'terminate'), at: Number.isFinite(at) ? at : now + 120_000 };
}

export interface InterruptionWatchOptions {
  readonly metadata: Pick<MetadataService, 'request'>;
  readonly intervalMs: number;
  readonly onNotice: (notice: InterruptionNotice) => void;
  readonly log: Logger;
}

/**
 * Polls for a Spot interruption notice and calls `onNotice` once when one appears. A failed read is
 * logged and tried again at the next interval. Returns a function that stops the watch.
 */
export function watchForInterruption({ metadata, intervalMs, onNotice, log }: InterruptionWatchOptions): () => void {
  let noticed = false;
  const check = async () => {
    try {
      const notice = await readInterruptionNotice(metadata);
      if (!notice || noticed) return;
      noticed = true;
      clearInterval(timer);
      log.warn({ action: notice.action, at: new Date(notice.at).toISOString() }, 'Spot interruption notice');
      onNotice(notice);
    } catch (error) {
      log.warn({ error: describeError(error) }, 'could not read the Spot interruption notice');
    }
  };
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
