import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { API_KEY_SCHEME, BEARER_SCHEME } from './auth/key-policy.js';

/** The OpenAPI document of every route, its schemas derived from the zod contracts. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Glimpse')
      .setDescription('Elastic image recognition as a service: upload images, get ImageNet-1k labels.')
      .setVersion('1')
      // Routes name these (RequiresApiKey, Cse546KeyPolicy): either one carries the same key.
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key as a bearer token' }, BEARER_SCHEME)
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'An API key' }, API_KEY_SCHEME)
      .build(),
  );
  // nestjs-zod's schemas need its post-processing to become valid OpenAPI.
  return withUploadPage(cleanupOpenApiDoc(document));
}

/** The upload page is a static file (UiModule), which Swagger's route scan does not see. */
function withUploadPage(document: OpenAPIObject): OpenAPIObject {
  const uploadPage = {
    tags: ['ui'],
    summary: 'The upload page: choose or drop images, see labels with confidence',
    responses: { '200': { description: 'An HTML page', content: { 'text/html': { schema: { type: 'string' } } } } },
  };
  return { ...document, paths: { ...document.paths, '/': { ...document.paths['/'], get: uploadPage } } };
}
