import {
  Body,
  Controller,
  Get,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  UploadedFiles,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
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
      'jobs still queued (poll their `url`).',
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
      },
    },
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
      '`reason`: the file and the model.json field at fault); nothing was stored',
  })
  async classify(
    @UploadedFiles() files: UploadFields | undefined,
    @Query() query: ClassifyQueryDto,
    @Body() form: ClassifyFormDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ClassificationBatch> {
    const uploads = [...(files?.images ?? []), ...(files?.image ?? [])];
    const batch = await this.classifications.classify(uploads, query.wait, abortSignalFor(response), {
      query: query.model,
      form: form.model,
    });
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
}
