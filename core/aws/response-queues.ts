import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  TagQueueCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { QUEUE_NAME_PATTERN } from '../contracts/job-message.js';
import { describeError, GlimpseError, QueueLookupError } from '../errors.js';

/**
 * Tag on a web process's response queue: when the process last said it was alive (epoch ms). A
 * process touches it while it runs; a queue whose process crashed stops being touched.
 */
export const LAST_SEEN_TAG = 'glimpse-last-seen';

/** A response queue as the sweep sees it. */
export interface ResponseQueueView {
  readonly url: string;
  /** Epoch ms of the owner's last touch, if the tag is there. */
  readonly lastSeen?: number;
  /** Epoch ms the queue was created, if known (for queues without the tag). */
  readonly createdAt?: number;
}

/** Results stay this long in a response queue; they are in the output bucket anyway. */
const RESPONSE_RETENTION_SECONDS = 3600;

/** What was given as a reply queue's name is not an SQS queue name (a URL, a path, too long…). */
export class ReplyQueueNameError extends GlimpseError {}

/**
 * The URL of the reply queue `name` on the endpoint and account of `requestQueueUrl`. A job names its
 * reply queue; the worker sends only where its own queues live, whatever the job says, and needs
 * no GetQueueUrl round trip.
 */
export function replyQueueUrl(requestQueueUrl: string, name: string): string {
  if (!QUEUE_NAME_PATTERN.test(name)) {
    throw new ReplyQueueNameError(`not a queue name: ${JSON.stringify(name.slice(0, 100))}`);
  }
  const url = new URL(requestQueueUrl);
  url.pathname = `${url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1)}${name}`;
  url.search = '';
  url.hash = '';
  return url.href;
}

/**
 * Creates a web process's response queue, encrypted at rest with SQS-managed keys (results name
 * uploads and what they show), tagged as touched now. Returns its URL.
 */
export async function createResponseQueue(
  sqs: SQSClient,
  name: string,
  tags: Readonly<Record<string, string>>,
  now = Date.now(),
): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { MessageRetentionPeriod: String(RESPONSE_RETENTION_SECONDS), SqsManagedSseEnabled: 'true' },
      tags: { ...tags, [LAST_SEEN_TAG]: String(now) },
    }),
  );
  if (!QueueUrl) throw new QueueLookupError(`CreateQueue returned no URL for ${name}`);
  return QueueUrl;
}

/** How often a live web process touches its response queue; the idle time allowed is at least five of these. */
export const RESPONSE_QUEUE_TOUCH_MS = 60_000;

/** Marks this process's response queue as alive now. */
export async function touchResponseQueue(sqs: SQSClient, queueUrl: string, now = Date.now()): Promise<void> {
  await sqs.send(new TagQueueCommand({ QueueUrl: queueUrl, Tags: { [LAST_SEEN_TAG]: String(now) } }));
}

/**
 * The response queues whose web process is gone: not touched (or, without the tag, not created)
 * within `idleMs`. A queue with neither timestamp is kept: nothing says it is stale.
 */
export function staleResponseQueues(queues: readonly ResponseQueueView[], now: number, idleMs: number): string[] {
  return queues
    .filter((queue) => {
      const seen = queue.lastSeen ?? queue.createdAt;
      return seen !== undefined && now - seen > idleMs;
    })
    .map((queue) => queue.url);
}

/** What a sweep did: queues deleted, and queues it could not look at or delete (with why). */
export interface SweepReport {
  readonly deleted: string[];
  readonly failed: Array<{ readonly url: string; readonly error: string }>;
}

/**
 * Deletes the response queues (names starting with `prefix`) left by web processes that crashed:
 * those idle longer than `idleSeconds`. A clean shutdown deletes its own queue; this catches the rest.
 */
export async function sweepResponseQueues(
  sqs: SQSClient,
  prefix: string,
  idleSeconds: number,
  now = Date.now(),
): Promise<SweepReport> {
  const report: SweepReport = { deleted: [], failed: [] };
  const views = await Promise.all((await listQueues(sqs, prefix)).map((url) => viewQueue(sqs, url, report)));
  const stale = staleResponseQueues(
    views.filter((view) => view !== undefined),
    now,
    idleSeconds * 1000,
  );
  for (const url of stale) {
    try {
      await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
      report.deleted.push(url);
    } catch (error) {
      report.failed.push({ url, error: describeError(error) });
    }
  }
  return report;
}

async function listQueues(sqs: SQSClient, prefix: string): Promise<string[]> {
  const urls: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 1000, NextToken }));
    urls.push(...(page.QueueUrls ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return urls;
}

async function viewQueue(sqs: SQSClient, url: string, report: SweepReport): Promise<ResponseQueueView | undefined> {
  try {
    const { Tags } = await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }));
    const lastSeen = Number(Tags?.[LAST_SEEN_TAG]);
    if (Number.isFinite(lastSeen) && lastSeen > 0) return { url, lastSeen };
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['CreatedTimestamp'] }),
    );
    const created = Number(Attributes?.CreatedTimestamp) * 1000;
    return { url, ...(Number.isFinite(created) && created > 0 ? { createdAt: created } : {}) };
  } catch (error) {
    report.failed.push({ url, error: describeError(error) });
    return undefined;
  }
}
