import { ApiTooManyRequestsResponse } from '@nestjs/swagger';

/** The 429 a caller past its requests a minute gets, documented; `images` adds the upload routes' image count. */
export function Throttled({ images = false } = {}): ClassDecorator & MethodDecorator {
  const what = images
    ? 'More requests (`GLIMPSE_REQUESTS_PER_MINUTE`) or images (`GLIMPSE_IMAGES_PER_MINUTE`, counted before any ' +
      'job is made)'
    : 'More requests (`GLIMPSE_REQUESTS_PER_MINUTE`)';
  return ApiTooManyRequestsResponse({
    description: `${what} a minute than this caller's key, or client address without one, may make; nothing was done`,
    headers: {
      'Retry-After': { description: 'Seconds until the request would be admitted', schema: { type: 'integer' } },
    },
  });
}
