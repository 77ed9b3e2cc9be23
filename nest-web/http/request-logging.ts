import type { Params } from 'nestjs-pino';
import type { Logger } from '#core/logging/logger.js';
import { callerLogFields } from '../auth/caller.js';
import { requestIdFor } from './request-id.js';

/**
 * nestjs-pino over the process's own logger: Nest's lines, each request's completion line and
 * every service's records are its records; those made during a request carry its `requestId`.
 * A request served under an API key is logged with a short prefix of the key's digest (`keyId`);
 * the key itself, in either header, is never written.
 */
export function requestLoggingParams(logger: Logger): Params {
  return {
    pinoHttp: {
      logger,
      genReqId: requestIdFor,
      // Bind only the id to records made during a request; the completion line has the rest.
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'requestId' },
      // Called again for the completion line, after the guards have identified the caller.
      customProps: (request) => callerLogFields(request),
      redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]'], censor: '[redacted]' },
    },
  };
}
