import { BadRequestException } from '@nestjs/common';
import { createZodValidationPipe } from 'nestjs-zod';
import { z } from 'zod';

/**
 * Validates every zod DTO a route takes (query strings today) against its schema. A refusal is a
 * 400 with the usual `{ statusCode, error, message }` body, one message per problem.
 */
export const RequestValidationPipe = createZodValidationPipe({
  createValidationException: (error) =>
    new BadRequestException(
      error instanceof z.ZodError
        ? error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`)
        : 'invalid request',
    ),
});
