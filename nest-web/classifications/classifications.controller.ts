import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { WebConfig } from '#core/config/web-config.js';
import { WEB_CONFIG } from '../aws/tokens.js';
import { JobStore } from '../jobs/job-store.service.js';
import { JobSubmissionService } from '../jobs/job-submission.service.js';
import { abortSignalFor } from '../http/abort-signal.js';
import { acceptImages } from '../uploads/uploaded-image.js';
import { toClassificationItem } from './classification-view.js';
import { ClassificationBatchDto, ClassificationItemDto } from './dto/classification-item.dto.js';
import { ClassifyQueryDto } from './dto/classify-query.dto.js';

type UploadFields = { images?: Express.Multer.File[]; image?: Express.Multer.File[] };

@ApiTags('classifications')
@Controller('v1/classifications')
export class ClassificationsController {
  constructor(
    private readonly submissions: JobSubmissionService,
    private readonly store: JobStore,
    @Inject(WEB_CONFIG) private readonly config: WebConfig,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Classify one or more images',
    description:
      'Each file becomes a job. Answers 200 when every job finished within `wait` seconds, else 202 with the ' +
      'jobs still queued (poll their `url`).',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        images: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'One or more images' },
        image: { type: 'string', format: 'binary', description: 'A single image (alternative field name)' },
      },
    },
  })
  @ApiOkResponse({ type: ClassificationBatchDto, description: 'Every job finished' })
  @ApiAcceptedResponse({ type: ClassificationBatchDto, description: 'Some jobs are still queued' })
  @ApiBadRequestResponse({ description: 'No file, an unknown field, or a bad `wait`' })
  @ApiPayloadTooLargeResponse({ description: 'A file is over the size limit, or too many files' })
  @ApiUnsupportedMediaTypeResponse({ description: 'A file is not an image format Glimpse decodes' })
  @UseInterceptors(FileFieldsInterceptor([{ name: 'images' }, { name: 'image' }]))
  async classify(
    @UploadedFiles() files: UploadFields | undefined,
    @Query() query: ClassifyQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ClassificationBatchDto> {
    const waitSeconds = query.wait ?? this.config.defaultWaitSeconds;
    if (waitSeconds > this.config.maxWaitSeconds) {
      throw new BadRequestException(`wait must be at most ${this.config.maxWaitSeconds} seconds`);
    }
    const images = await acceptImages([...(files?.images ?? []), ...(files?.image ?? [])]);
    const jobs = await this.submissions.submitAndWait(images, waitSeconds * 1000, abortSignalFor(response));
    const items = jobs.map((job) => toClassificationItem(job.jobId, job.filename, job.record, { withTimings: false }));
    response.status(items.every((item) => item.status !== 'queued') ? 200 : 202);
    return { items };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read one job: its status, result and timings (works across web-tier restarts)' })
  @ApiOkResponse({ type: ClassificationItemDto })
  @ApiBadRequestResponse({ description: 'The id is not a UUID' })
  @ApiNotFoundResponse({ description: 'No such job' })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<ClassificationItemDto> {
    const stored = await this.store.find(id);
    if (!stored) throw new NotFoundException(`no classification ${id}`);
    return stored.state === 'finished'
      ? toClassificationItem(id, stored.record.filename, stored.record, { withTimings: true })
      : toClassificationItem(id, stored.filename, undefined, { withTimings: true });
  }
}
