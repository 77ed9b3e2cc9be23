import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UploadedFiles,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  CLASSIFICATIONS_PATH,
  type ClassificationBatch,
  type ClassificationItem,
} from '#core/contracts/classification-item.js';
import { RequiresApiKey } from '../auth/key-policy.js';
import { abortSignalFor } from '../http/abort-signal.js';
import { Throttled } from '../rate-limits/throttled.decorator.js';
import { AcceptsUploads } from '../uploads/accepts-uploads.decorator.js';
import { ClassificationsService } from './classifications.service.js';
import { ClassificationBatchDto, ClassificationItemDto } from './dto/classification-item.dto.js';
import { ClassifyFormDto } from './dto/classify-form.dto.js';
import { ClassifyQueryDto } from './dto/classify-query.dto.js';
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeyOf } from './idempotent-requests.js';

type UploadFields = { images?: Express.Multer.File[]; image?: Express.Multer.File[] };

@ApiTags('classifications')
@RequiresApiKey()
@Throttled()
@Controller(CLASSIFICATIONS_PATH)
export class ClassificationsController {
  constructor(private readonly classifications: ClassificationsService) {}

  @Post()
  @ApiOperation({
    summary: 'Classify one or more images',
    description:
      'Each file becomes a job. Answers 200 when every job finished within `wait` seconds, else 202 with the ' +
      'jobs still queued (poll their `url`). A request with several files gets a `batchId`. Optional: a ' +
      '`webhook` called when each job ends, a `deadline`, and an `Idempotency-Key` header.',
  })
  @AcceptsUploads([{ name: 'images' }, { name: 'image' }])
  @Throttled({ images: true })
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        images: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'One or more images' },
        image: { type: 'string', format: 'binary', description: 'A single image (alternative field name)' },
        model: {
          type: 'string',
          description: 'The model to classify with, as a form field (or the `model` query parameter); GET /v1/models',
        },
        webhook: { type: 'string', description: 'As the `webhook` query parameter, as a form field' },
        deadline: { type: 'integer', description: 'As the `deadline` query parameter, as a form field' },
      },
    },
  })
  @ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description:
      'Up to 255 characters (for example a UUID). The same key with the same files and options within 24 h ' +
      "answers the first request's jobs as they are now and creates none; concurrent requests with one key " +
      'create one set of jobs. Keys are per API key (global when keys are off).',
  })
  @ApiOkResponse({ type: ClassificationBatchDto.Output, description: 'Every job finished' })
  @ApiAcceptedResponse({ type: ClassificationBatchDto.Output, description: 'Some jobs are still queued' })
  @ApiBadRequestResponse({
    description:
      'No file, an unknown field, a bad `wait`, or a `model` that is not served (the body lists the served ' +
      '`models`)',
  })
  @ApiUnprocessableEntityResponse({
    description:
      "A file's header declares more pixels than `GLIMPSE_MAX_INPUT_PIXELS` (`code: image_too_large`; the body " +
      'names the file, its width and height), or the `model` is unavailable (`code: model_unavailable`, with the ' +
      '`reason`: the file and the model.json field at fault); nothing was stored. Or the `Idempotency-Key` was ' +
      'used for another request within 24 h (`code: idempotency_key_reused`)',
  })
  @ApiConflictResponse({
    description:
      'The first request with this `Idempotency-Key` is still being accepted (`code: idempotency_key_in_progress`); ' +
      'retry after `Retry-After`',
  })
  async classify(
    @UploadedFiles() files: UploadFields | undefined,
    @Query() query: ClassifyQueryDto,
    @Body() form: ClassifyFormDto,
    @Headers(IDEMPOTENCY_KEY_HEADER.toLowerCase()) idempotencyKey: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ClassificationBatch> {
    const key = idempotencyKeyOf(idempotencyKey);
    const batch = await this.classifications.classify(
      {
        files: [...(files?.images ?? []), ...(files?.image ?? [])],
        waitSeconds: query.wait,
        model: { query: query.model, form: form.model },
        webhook: { query: query.webhook, form: form.webhook },
        deadline: { query: query.deadline, form: form.deadline },
        ...(key === undefined ? {} : { idempotency: { key, request } }),
      },
      abortSignalFor(response),
    );
    const finished = batch.items.every((item) => item.status !== 'queued');
    response.status(finished ? HttpStatus.OK : HttpStatus.ACCEPTED);
    return batch;
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read one job: its status, result and timings (works across web-tier restarts)' })
  @ApiOkResponse({ type: ClassificationItemDto.Output })
  @ApiBadRequestResponse({ description: 'The id is not a UUID' })
  @ApiNotFoundResponse({ description: 'No such job' })
  async find(@Param('id', new ParseUUIDPipe()) id: string): Promise<ClassificationItem> {
    return this.classifications.find(id);
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'Cancel a job no worker has classified',
    description:
      'The job ends `canceled`: a worker that receives it later skips it, a request waiting for it answers it, ' +
      'and its webhook is called. Canceling a canceled job answers the same again.',
  })
  @ApiOkResponse({ type: ClassificationItemDto.Output, description: 'The canceled job' })
  @ApiBadRequestResponse({ description: 'The id is not a UUID' })
  @ApiNotFoundResponse({ description: 'No such job' })
  @ApiConflictResponse({ description: 'The job ended already (done, failed or expired); the body names its `status`' })
  @ApiServiceUnavailableResponse({
    description: 'Canceling did not complete (storage or queues unreachable); send the same DELETE again',
    headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } },
  })
  async cancel(@Param('id', new ParseUUIDPipe()) id: string): Promise<ClassificationItem> {
    return this.classifications.cancel(id);
  }
}
