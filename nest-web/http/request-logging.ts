import type { Params } from 'nestjs-pino';
import type { Logger } from '#core/logging/logger.js';
import { requestIdFor } from './request-id.js';

/**
 * nestjs-pino over the process's own logger: Nest's lines, each request's completion line and
 * every service's records are its records; those made during a request carry its `requestId`.
 */
export function requestLoggingParams(logger: Logger): Params {
  return {
    pinoHttp: {
      logger,
      genReqId: requestIdFor,
      // Bind only the id to records made during a request; the completion line has the rest.
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'requestId' },
    },
  };
}
