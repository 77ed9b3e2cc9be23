import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { createAwsClients } from '#core/aws/clients.js';
import { loadWebConfig } from '#core/config/web-config.js';
import { classificationStatusSchema } from '#core/contracts/classification-item.js';
import { modelSourceSchema } from '#core/contracts/model-listing.js';
import { failureCodeSchema } from '#core/contracts/result-record.js';
import {
  channelOrderSchema,
  inputLayoutSchema,
  outputKindSchema,
  pixelScaleSchema,
} from '#core/models/model-contract.js';
import { silentLogger } from '#core/logging/logger.js';
import { createWebApp } from '#web/app.factory.js';
import { healthReportSchema } from '#web/health/health-report.dto.js';
import { priceBasisSchema } from '#web/metrics/metrics-answer.dto.js';
import { openApiDocument } from '#web/openapi.js';

/** The enums of GET /v1/models: the model contract's, and where a model comes from. */
const modelContractEnums = [
  inputLayoutSchema,
  channelOrderSchema,
  pixelScaleSchema,
  outputKindSchema,
  modelSourceSchema,
];

type Schema = { $ref?: string; enum?: unknown[]; properties?: Record<string, Schema>; items?: Schema };

/** The JSON schema of a route's response, its `$ref` followed. */
function responseSchema(document: OpenAPIObject, path: string, method: 'get' | 'post', status: string): Schema {
  const operation = document.paths[path]![method]!;
  const response = operation.responses[status] as { content: Record<string, { schema: Schema }> };
  const schema = response.content['application/json']!.schema;
  const name = schema.$ref?.replace('#/components/schemas/', '');
  return name ? (document.components!.schemas![name] as Schema) : schema;
}

/** Every `enum` anywhere in the document. */
function allEnums(node: unknown): unknown[][] {
  if (typeof node !== 'object' || node === null) return [];
  const own = Array.isArray((node as Schema).enum) ? [(node as Schema).enum!] : [];
  return [...own, ...Object.values(node).flatMap(allEnums)];
}

describe('the OpenAPI document derives from the zod contracts', () => {
  let app: INestApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    // Built, never started: no queue is resolved and the endpoint is never called.
    const config = loadWebConfig({ GLIMPSE_AWS_ENDPOINT: 'http://127.0.0.1:9', GLIMPSE_INSTANCE_ID: 'unit' });
    app = await createWebApp(config, createAwsClients(config.aws), { logger: silentLogger(), shutdownHooks: false });
    document = openApiDocument(app);
  });
  afterAll(async () => app?.close());

  it.each([
    ['POST /v1/classifications 200', '/v1/classifications', 'post', '200'],
    ['POST /v1/classifications 202', '/v1/classifications', 'post', '202'],
  ] as const)('%s: every item has the status and failure codes of the zod enums', (_name, path, method, status) => {
    const item = responseSchema(document, path, method, status).properties!.items!.items!;
    expect(item.properties!.status!.enum).toEqual(classificationStatusSchema.options);
    expect(item.properties!.error!.properties!.code!.enum).toEqual(failureCodeSchema.options);
  });

  it('GET /v1/classifications/{id}: the item has the status and failure codes of the zod enums', () => {
    const item = responseSchema(document, '/v1/classifications/{id}', 'get', '200');
    expect(item.properties!.status!.enum).toEqual(classificationStatusSchema.options);
    expect(item.properties!.error!.properties!.code!.enum).toEqual(failureCodeSchema.options);
  });

  it('GET /v1/batches/{id}: every item has the status of the zod enum; its events are text/event-stream', () => {
    const item = responseSchema(document, '/v1/batches/{id}', 'get', '200').properties!.items!.items!;
    expect(item.properties!.status!.enum).toEqual(classificationStatusSchema.options);
    const events = document.paths['/v1/batches/{id}/events']!.get!.responses as Record<string, { content?: object }>;
    expect(Object.keys(events['200']!.content!)).toEqual(['text/event-stream']);
    expect(Object.keys(events)).toEqual(expect.arrayContaining(['200', '400', '404']));
  });

  it('GET /v1/metrics: the answer carries the cost receipt', () => {
    const answer = responseSchema(document, '/v1/metrics', 'get', '200');
    expect(Object.keys(answer.properties!.receipt!.properties!)).toEqual(
      expect.arrayContaining(['workerSeconds', 'dollarsPer1000Images', 'basis']),
    );
  });

  it('GET /health: the report status is the zod enum, on 200 and 503', () => {
    for (const status of ['200', '503']) {
      const report = responseSchema(document, '/health', 'get', status);
      expect(report.properties!.status!.enum).toEqual(healthReportSchema.shape.status.options);
    }
  });

  it('holds no enum that is not one of the zod enums (none written by hand)', () => {
    const zodEnums = [
      classificationStatusSchema,
      failureCodeSchema,
      healthReportSchema.shape.status,
      priceBasisSchema,
      ...modelContractEnums,
    ].map((schema) => JSON.stringify(schema.options));
    const documentEnums = new Set(allEnums(document).map((values) => JSON.stringify(values)));
    expect([...documentEnums].sort()).toEqual([...zodEnums].sort());
  });

  it.each([
    ['POST /v1/classifications', '/v1/classifications'],
    ['POST / (CSE546)', '/'],
  ])('%s documents the upload refusals: 413, 415, 422 and 503 with Retry-After', (_name, path) => {
    const responses = document.paths[path]!.post!.responses as Record<
      string,
      { description: string; headers?: Record<string, unknown> }
    >;
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(['413', '415', '422', '503']));
    expect(responses['413']!.description).toContain('GLIMPSE_MAX_REQUEST_BYTES');
    expect(responses['422']!.description).toContain('image_too_large');
    expect(responses['503']!.headers).toHaveProperty('Retry-After');
  });

  it('lists retries_exhausted among the failure codes (FailureDto once lacked it)', () => {
    const item = responseSchema(document, '/v1/classifications/{id}', 'get', '200');
    expect(item.properties!.error!.properties!.code!.enum).toContain('retries_exhausted');
  });
});
