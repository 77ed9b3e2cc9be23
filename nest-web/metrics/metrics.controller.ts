import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresApiKey } from '../auth/key-policy.js';
import { Throttled } from '../rate-limits/throttled.decorator.js';
import { MetricsAnswerDto } from './metrics-answer.dto.js';
import { MetricsQueryDto } from './metrics-query.dto.js';
import { MetricsService, type MetricsAnswer } from './metrics.service.js';

@ApiTags('metrics')
@RequiresApiKey()
@Throttled()
@Controller('v1/metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @ApiOperation({
    summary: 'Recent scaler and worker metrics, and the cost receipt (embedded stack)',
    description:
      'Per metric name, a list of [epoch ms, value] points: Backlog, InFlight, WorkersPending, WorkersRunning, ' +
      'WorkersDraining, WorkersInFleet, DesiredWorkers, WorkersLaunched, WorkersTerminated, ImagesClassified, ' +
      'ImagesFailed, BatchSize, InferenceMs, QueueWaitMs, EndToEndMs. And the cost receipt since the stack ' +
      'started: worker-seconds (the area under WorkersInFleet), images, and dollars per 1000 images at ' +
      'GLIMPSE_WORKER_HOUR_PRICE (a nominal rate unless set). On AWS the same metrics go to CloudWatch instead, ' +
      'where the dashboard has the cost widget.',
  })
  @ApiOkResponse({ type: MetricsAnswerDto.Output })
  @ApiNotFoundResponse({ description: 'This deployment publishes its metrics to CloudWatch' })
  metricsSince(@Query() query: MetricsQueryDto): MetricsAnswer {
    return this.metrics.snapshot(query.since);
  }
}
