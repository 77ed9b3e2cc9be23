import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SeriesPoint } from '#core/metrics/metric-series.js';
import { RequiresApiKey } from '../auth/key-policy.js';
import { Throttled } from '../rate-limits/throttled.decorator.js';
import { MetricsQueryDto } from './metrics-query.dto.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('metrics')
@RequiresApiKey()
@Throttled()
@Controller('v1/metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @ApiOperation({
    summary: 'Recent scaler and worker metrics (embedded stack)',
    description:
      'Per metric name, a list of [epoch ms, value] points: Backlog, InFlight, WorkersPending, WorkersRunning, ' +
      'DesiredWorkers, WorkersLaunched, WorkersTerminated, ImagesClassified, ImagesFailed, BatchSize, InferenceMs, ' +
      'QueueWaitMs, EndToEndMs. On AWS the same metrics go to CloudWatch instead.',
  })
  @ApiOkResponse({ description: '{ metrics: { [name]: [[at, value], …] } }' })
  @ApiNotFoundResponse({ description: 'This deployment publishes its metrics to CloudWatch' })
  metricsSince(@Query() query: MetricsQueryDto): { metrics: Record<string, SeriesPoint[]> } {
    return { metrics: this.metrics.snapshot(query.since) };
  }
}
