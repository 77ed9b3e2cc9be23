import { Controller, HttpCode, Post, Res, UploadedFiles } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiGatewayTimeoutResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Cse546KeyPolicy } from '../auth/key-policy.js';
import { abortSignalFor } from '../http/abort-signal.js';
import { Throttled } from '../rate-limits/throttled.decorator.js';
import { AcceptsUploads } from '../uploads/accepts-uploads.decorator.js';
import { Cse546Service } from './cse546.service.js';

type Cse546Fields = { myfile?: Express.Multer.File[]; inputFile?: Express.Multer.File[] };

/** The contract of the CSE546 course clients: one image in, `<name>:<label>` as plain text out. */
@ApiTags('cse546')
@Cse546KeyPolicy()
@Controller()
export class Cse546Controller {
  constructor(private readonly cse546: Cse546Service) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Classify one image, CSE546 style',
    description:
      'Holds the request until the result arrives (up to the configured limit, default 300 s) and answers ' +
      '`<file name without extension>:<label>` as text/plain.',
  })
  @AcceptsUploads([
    { name: 'myfile', maxCount: 1 },
    { name: 'inputFile', maxCount: 1 },
  ])
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        myfile: { type: 'string', format: 'binary' },
        inputFile: { type: 'string', format: 'binary', description: 'Alternative field name' },
      },
    },
  })
  @Throttled({ images: true })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: '`<file name without extension>:<label>`',
    schema: { type: 'string', example: 'test_00:tench' },
  })
  @ApiBadRequestResponse({ description: 'No file, or more than one' })
  @ApiUnprocessableEntityResponse({
    description:
      'The image could not be classified (e.g. corrupt: `code: undecodable_image`), or its header declares more ' +
      'pixels than `GLIMPSE_MAX_INPUT_PIXELS` (`code: image_too_large`, refused before it was stored)',
  })
  @ApiGatewayTimeoutResponse({ description: 'No result within the limit; the body names the job id' })
  async classify(
    @UploadedFiles() files: Cse546Fields | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const uploads = [...(files?.myfile ?? []), ...(files?.inputFile ?? [])];
    const answer = await this.cse546.classify(uploads, abortSignalFor(response));
    // Set on success only (not by decorator, which applies before the handler runs): error bodies stay JSON.
    response.type('text/plain; charset=utf-8');
    return answer;
  }
}
