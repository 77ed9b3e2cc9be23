import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { mapWithLimit } from '#core/concurrency/map-with-limit.js';
import { describeError } from '#core/errors.js';
import type { BatchRecord } from '#core/storage/batch-store.js';
import { BatchEndings } from './batch-endings.js';
import type { BatchView } from './dto/batch.dto.js';
import { endedItems } from './ended-items.js';

/** How often an event stream reads the endings of its batch's pending jobs. */
export const BATCH_POLL_MS = 500;

/** Reads of the output bucket one `GET /v1/batches/:id` runs at once. */
const READ_CONCURRENCY = 8;

/** Where a batch's events go (an SSE answer), and whether its reader is still there. */
export interface BatchEventSink {
  readonly signal: AbortSignal;
  send(event: 'item' | 'end', data: unknown, id?: string): void;
  end(): void;
}

/** The batches of multi-file requests: their items now, or as each job ends. */
@Injectable()
export class BatchesService {
  constructor(
    private readonly endings: BatchEndings,
    @InjectPinoLogger(BatchesService.name) private readonly logger: PinoLogger,
  ) {}

  /** The batch's record; unknown ids throw BatchNotFoundError. */
  batch(batchId: string): Promise<BatchRecord> {
    return this.endings.batch(batchId);
  }

  /** Every item of the batch, in upload order. */
  async view(batchId: string): Promise<BatchView> {
    const batch = await this.endings.batch(batchId);
    const items = await mapWithLimit(batch.jobs, READ_CONCURRENCY, (job) => this.endings.item(job));
    return { id: batch.batchId, items };
  }

  /**
   * Sends one `item` event per job as it ends (those already ended at once), then an `end` event,
   * and ends the stream; stops reading as soon as the client goes away. A failed read ends the
   * stream early: the client's EventSource reconnects and gets the ended items again.
   */
  async follow(batch: BatchRecord, sink: BatchEventSink): Promise<void> {
    const options = { intervalMs: BATCH_POLL_MS, signal: sink.signal };
    let sent = 0;
    try {
      for await (const item of endedItems(batch.jobs, (job) => this.endings.item(job), options)) {
        sink.send('item', item, item.id);
        sent++;
      }
      if (!sink.signal.aborted) sink.send('end', { id: batch.batchId, items: sent });
    } catch (error) {
      this.logger.warn({ batchId: batch.batchId, error: describeError(error) }, 'batch event stream ended early');
    } finally {
      sink.end();
    }
  }
}
