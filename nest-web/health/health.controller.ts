import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { WebConfig } from '#core/config/web-config.js';
import { S3_CLIENT, SQS_CLIENT, WEB_CONFIG } from '../aws/tokens.js';
import { RequestQueueService } from '../jobs/request-queue.service.js';
import { ResponseQueueService } from '../jobs/response-queue.service.js';
import { ResultWaiter } from '../jobs/result-waiter.service.js';

type CheckResult = 'ok' | string;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(SQS_CLIENT) private readonly sqs: SQSClient,
    @Inject(S3_CLIENT) private readonly s3: S3Client,
    @Inject(WEB_CONFIG) private readonly config: WebConfig,
    private readonly requests: RequestQueueService,
    private readonly responses: ResponseQueueService,
    private readonly waiter: ResultWaiter,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Readiness: the queues and buckets answer' })
  @ApiOkResponse({
    description: '{ status: "ok", checks: { requestQueue, responseQueue, inputBucket, outputBucket }, waitingJobs }',
  })
  @ApiServiceUnavailableResponse({ description: 'A queue or bucket does not answer; `checks` says which' })
  async health(): Promise<Record<string, unknown>> {
    const [requestQueue, responseQueue, inputBucket, outputBucket] = await Promise.all([
      this.check(() => this.probeQueue(this.requests.queueUrl)),
      this.check(() => this.probeQueue(this.responses.queueUrl)),
      this.check(() => this.s3.send(new HeadBucketCommand({ Bucket: this.config.names.inputBucket }))),
      this.check(() => this.s3.send(new HeadBucketCommand({ Bucket: this.config.names.outputBucket }))),
    ]);
    const checks = { requestQueue, responseQueue, inputBucket, outputBucket };
    const healthy = Object.values(checks).every((value) => value === 'ok');
    const body = { status: healthy ? 'ok' : 'unavailable', checks, waitingJobs: this.waiter.waiting };
    if (!healthy) throw new ServiceUnavailableException(body);
    return body;
  }

  private async probeQueue(queueUrl: string): Promise<void> {
    await this.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
  }

  private async check(probe: () => Promise<unknown>): Promise<CheckResult> {
    try {
      await probe();
      return 'ok';
    } catch (error) {
      return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
}
