import { Controller, Get, Inject, NotFoundException, Optional, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { MetricSeries } from '#core/metrics/metric-series.js';
import { METRIC_SERIES } from '../aws/tokens.js';

@ApiTags('metrics')
@Controller('v1/metrics')
export class MetricsController {
  constructor(@Optional() @Inject(METRIC_SERIES) private readonly series?: MetricSeries) {}

  @Get()
  @ApiOperation({
    summary: 'Recent scaler and worker metrics (embedded stack)',
    description:
      'Per metric name, a list of [epoch ms, value] points: Backlog, InFlight, WorkersPending, WorkersRunning, ' +
      'DesiredWorkers, WorkersLaunched, WorkersTerminated, ImagesClassified, ImagesFailed, BatchSize, InferenceMs, ' +
      'QueueWaitMs, EndToEndMs. On AWS the same metrics go to CloudWatch instead.',
  })
  @ApiQuery({ name: 'since', required: false, description: 'Only points at or after this epoch ms' })
  @ApiOkResponse({ description: '{ metrics: { [name]: [[at, value], …] } }' })
  @ApiNotFoundResponse({ description: 'This deployment publishes its metrics to CloudWatch' })
  metrics(@Query('since') since?: string): { metrics: Record<string, Array<readonly [number, number]>> } {
    if (!this.series) throw new NotFoundException('metrics are published to CloudWatch on this deployment');
    const from = Number(since ?? 0);
    return { metrics: this.series.snapshot(Number.isFinite(from) ? from : 0) };
  }
}
