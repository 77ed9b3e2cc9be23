import {
  BadRequestException,
  Controller,
  GatewayTimeoutException,
  HttpCode,
  Inject,
  Post,
  Res,
  UnprocessableEntityException,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiGatewayTimeoutResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { WebConfig } from '#core/config/web-config.js';
import { WEB_CONFIG } from '../aws/tokens.js';
import { CLASSIFICATIONS_PATH } from '../classifications/classification-view.js';
import { abortSignalFor } from '../http/abort-signal.js';
import { JobSubmissionService } from '../jobs/job-submission.service.js';
import { stripExtension } from '#core/contracts/display-filename.js';
import { acceptImages } from '../uploads/uploaded-image.js';

type LegacyFields = { myfile?: Express.Multer.File[]; inputFile?: Express.Multer.File[] };

/** The contract of the CSE546 course clients: one image in, `<name>:<label>` as plain text out. */
@ApiTags('cse546')
@Controller()
export class LegacyController {
  constructor(
    private readonly submissions: JobSubmissionService,
    @Inject(WEB_CONFIG) private readonly config: WebConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Classify one image, CSE546 style',
    description:
      'Holds the request until the result arrives (up to the configured limit, default 300 s) and answers ' +
      '`<file name without extension>:<label>` as text/plain.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        myfile: { type: 'string', format: 'binary' },
        inputFile: { type: 'string', format: 'binary', description: 'Alternative field name' },
      },
    },
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: '`<file name without extension>:<label>`',
    schema: { type: 'string', example: 'test_00:tench' },
  })
  @ApiBadRequestResponse({ description: 'No file, or more than one' })
  @ApiPayloadTooLargeResponse({ description: 'The file is over the size limit' })
  @ApiUnsupportedMediaTypeResponse({ description: 'Not an image format Glimpse decodes' })
  @ApiUnprocessableEntityResponse({ description: 'The image could not be classified (e.g. corrupt)' })
  @ApiGatewayTimeoutResponse({ description: 'No result within the limit; the body names the job id' })
  @UseInterceptors(
    FileFieldsInterceptor([
      { name: 'myfile', maxCount: 1 },
      { name: 'inputFile', maxCount: 1 },
    ]),
  )
  async classify(
    @UploadedFiles() files: LegacyFields | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const uploads = [...(files?.myfile ?? []), ...(files?.inputFile ?? [])];
    if (uploads.length > 1) throw new BadRequestException('send exactly one file (field myfile or inputFile)');
    const [image] = await acceptImages(uploads);
    const [job] = await this.submissions.submitAndWait(
      [image!],
      this.config.legacyTimeoutSeconds * 1000,
      abortSignalFor(response),
    );
    const record = job!.record;
    if (!record) {
      throw new GatewayTimeoutException({
        statusCode: 504,
        error: 'Gateway Timeout',
        message: `no result for job ${job!.jobId} in time (limit ${this.config.legacyTimeoutSeconds} s); it is still queued`,
        jobId: job!.jobId,
        url: `${CLASSIFICATIONS_PATH}/${job!.jobId}`,
      });
    }
    if (record.status === 'failed') {
      throw new UnprocessableEntityException({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: record.failure.message,
        code: record.failure.code,
        jobId: record.jobId,
      });
    }
    // Set here, not by decorator: error bodies above stay JSON with a JSON content type.
    response.type('text/plain; charset=utf-8');
    return `${stripExtension(job!.filename)}:${record.prediction.label}`;
  }
}
