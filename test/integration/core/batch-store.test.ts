import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchStore, batchKeyFor } from '#core/storage/batch-store.js';
import { startTestInfrastructure, type TestInfrastructure } from '../../support/infrastructure.js';

describe('BatchStore, against the real emulator', () => {
  let infra: TestInfrastructure;
  let store: BatchStore;

  beforeAll(async () => {
    infra = await startTestInfrastructure();
    store = new BatchStore(infra.clients.s3, infra.names);
  });
  afterAll(async () => infra.stop());

  it('keeps a batch’s jobs in upload order under batches/<id>.json', async () => {
    // Prepare
    const batchId = randomUUID();
    const jobs = [
      { jobId: randomUUID(), filename: 'b.jpg' },
      { jobId: randomUUID(), filename: 'a.jpg' },
    ];

    // Act
    await store.put(batchId, jobs);

    // Assess
    expect(batchKeyFor(batchId)).toBe(`batches/${batchId}.json`);
    expect(await store.read(batchId)).toEqual({ version: 1, batchId, jobs });
  });

  it('reads an unknown batch as undefined and refuses a record that is no batch', async () => {
    // Prepare
    const garbled = randomUUID();
    await infra.clients.s3.send(
      new PutObjectCommand({ Bucket: infra.names.outputBucket, Key: batchKeyFor(garbled), Body: '{"jobs":"no"}' }),
    );

    // Act
    const [unknown, refused] = await Promise.all([store.read(randomUUID()), store.read(garbled).catch((e) => e)]);

    // Assess
    expect(unknown).toBeUndefined();
    expect(refused).toBeInstanceOf(Error);
  });
});
