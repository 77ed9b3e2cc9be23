import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { WebConfigService } from '../config/web-config.service.js';
import { RequestQueueService } from '../queues/request-queue.service.js';
import { ResponseQueueService } from '../queues/response-queue.service.js';
import { ResultWaiter } from '../queues/result-waiter.service.js';
import { BucketHealthIndicator } from './bucket.health.js';
import type { HealthReport } from './health-report.dto.js';
import { QueueHealthIndicator } from './queue.health.js';

/** Readiness: the queues and buckets this process uses all answer. */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly queues: QueueHealthIndicator,
    private readonly buckets: BucketHealthIndicator,
    private readonly requests: RequestQueueService,
    private readonly responses: ResponseQueueService,
    private readonly waiter: ResultWaiter,
    private readonly config: WebConfigService,
  ) {}

  async check(): Promise<HealthReport> {
    const { inputBucket, outputBucket } = this.config.names;
    const result = await this.health
      .check([
        () => this.queues.isReachable('requestQueue', this.requests),
        () => this.queues.isReachable('responseQueue', this.responses),
        () => this.buckets.isReachable('inputBucket', inputBucket),
        () => this.buckets.isReachable('outputBucket', outputBucket),
      ])
      .catch(failedCheckResult);
    return toHealthReport(result, this.waiter.waiting);
  }
}

/** Terminus answers a failed check by throwing 503 with the full result; the report needs that result. */
function failedCheckResult(error: unknown): HealthCheckResult {
  if (error instanceof ServiceUnavailableException) return error.getResponse() as HealthCheckResult;
  throw error;
}

function toHealthReport(result: HealthCheckResult, waitingJobs: number): HealthReport {
  const checks = Object.fromEntries(
    Object.entries(result.details).map(([part, detail]) => [
      part,
      detail.status === 'up' ? 'ok' : String(detail['message'] ?? detail.status),
    ]),
  );
  return { status: result.status === 'ok' ? 'ok' : 'unavailable', checks, waitingJobs };
}
