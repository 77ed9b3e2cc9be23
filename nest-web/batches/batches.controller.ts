import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { RequiresApiKey } from '../auth/key-policy.js';
import { Throttled } from '../rate-limits/throttled.decorator.js';
import { BatchesService } from './batches.service.js';
import type { BatchView } from './dto/batch.dto.js';
import { BatchViewDto } from './dto/batch.dto.js';
import { EventStream } from './event-stream.js';

@ApiTags('batches')
@RequiresApiKey()
@Throttled()
@Controller('v1/batches')
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @Get(':id')
  @ApiOperation({
    summary: "Read a multi-file request's jobs",
    description: 'Each item as GET /v1/classifications/:id answers it, in upload order (works across web processes).',
  })
  @ApiOkResponse({ type: BatchViewDto.Output })
  @ApiBadRequestResponse({ description: 'The id is not a UUID' })
  @ApiNotFoundResponse({ description: 'No such batch' })
  async find(@Param('id', new ParseUUIDPipe()) id: string): Promise<BatchView> {
    return this.batches.view(id);
  }

  @Get(':id/events')
  @ApiOperation({
    summary: "Follow a multi-file request's jobs as they end (Server-Sent Events)",
    description:
      'One `item` event per job as it ends (`id:` the job id, `data:` the item as GET /v1/classifications/:id ' +
      'answers it); jobs already ended are sent at once. Then an `end` event (`data: { id, items }`) and the ' +
      'stream closes: close the EventSource on `end`, or it reconnects and gets every item again. A comment ' +
      'line every 15 s keeps proxies from closing a quiet stream.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'event: item / data: {…item} … then event: end / data: { id, items }',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiBadRequestResponse({ description: 'The id is not a UUID' })
  @ApiNotFoundResponse({ description: 'No such batch (answered as JSON, before any event)' })
  async events(@Param('id', new ParseUUIDPipe()) id: string, @Res() response: Response): Promise<void> {
    const batch = await this.batches.batch(id);
    await this.batches.follow(batch, new EventStream(response));
  }
}
