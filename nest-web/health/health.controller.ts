import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { NoApiKey } from '../auth/key-policy.js';
import { SkipThrottle } from '../rate-limits/throttler.js';
import { HealthReportDto, type HealthReport } from './health-report.dto.js';
import { ReadinessService } from './readiness.service.js';

@ApiTags('health')
// Load balancers and probes call it, with no key and often.
@NoApiKey()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get()
  @ApiOperation({ summary: 'Readiness: the queues and buckets answer' })
  @ApiOkResponse({ type: HealthReportDto.Output, description: 'Every queue and bucket answers' })
  @ApiServiceUnavailableResponse({
    type: HealthReportDto.Output,
    description: 'A queue or bucket does not answer; `checks` says which',
  })
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await this.readiness.check();
    if (report.status !== 'ok') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
