import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-express';
import {
  ApiConsumes,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { ImageQuotaInterceptor } from '../rate-limits/image-quota.interceptor.js';
import { UPLOAD_RETRY_AFTER_SECONDS } from './upload-admission.js';
import { UploadAdmissionInterceptor } from './upload-admission.interceptor.js';

/** The multipart fields of a route, with their most files each. */
export type UploadFields = Parameters<typeof FileFieldsInterceptor>[0];

/**
 * A route that takes image files in these multipart fields: admitted by size and by the upload
 * bytes in flight before the body is read, spooled to disk by multer, its files counted against
 * the caller's images a minute before any job is made, and the refusals every upload route shares
 * documented. (Each route documents its own 422.)
 */
export function AcceptsUploads(fields: UploadFields): MethodDecorator {
  return applyDecorators(
    UseInterceptors(UploadAdmissionInterceptor, FileFieldsInterceptor(fields), ImageQuotaInterceptor),
    ApiConsumes('multipart/form-data'),
    ApiPayloadTooLargeResponse({
      description:
        'A file over `GLIMPSE_MAX_UPLOAD_BYTES`, too many files, or a request over `GLIMPSE_MAX_REQUEST_BYTES` ' +
        '(a larger Content-Length is refused before the body is read); nothing was stored',
    }),
    ApiUnsupportedMediaTypeResponse({
      description: 'A file is not an image format Glimpse decodes (judged on its first bytes); nothing was stored',
    }),
    ApiServiceUnavailableResponse({
      description:
        'This web process takes in too many upload bytes already (`GLIMPSE_MAX_UPLOAD_BYTES_IN_FLIGHT`): retry ' +
        'after `Retry-After` seconds. Also: an upload could not be stored, or jobs could not be queued ' +
        '(`queuedJobIds` lists those that were)',
      headers: {
        'Retry-After': {
          description: 'Seconds to wait before retrying (on a full upload budget)',
          schema: { type: 'integer', example: UPLOAD_RETRY_AFTER_SECONDS },
        },
      },
    }),
  );
}
