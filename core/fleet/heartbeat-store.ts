import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { heartbeatKeyFor } from '../storage/object-keys.js';
import { heartbeatSchema, type Heartbeat } from './heartbeat.js';

/** Workers' heartbeats in the output bucket: workers write their own, the scaler reads them all. */
export class HeartbeatStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(heartbeat: Heartbeat): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: heartbeatKeyFor(heartbeat.workerId),
        Body: JSON.stringify(heartbeat),
        ContentType: 'application/json',
      }),
    );
  }

  /**
   * The heartbeats of these workers (the fleet's current members); missing or unreadable records
   * are skipped. Reading by id keeps each tick's cost to the fleet's size, however many workers
   * ever ran (old records expire with the output bucket's lifecycle).
   */
  async read(workerIds: readonly string[]): Promise<Heartbeat[]> {
    const records = await Promise.all(
      workerIds.map(async (workerId) => {
        try {
          const { Body } = await this.s3.send(
            new GetObjectCommand({ Bucket: this.bucket, Key: heartbeatKeyFor(workerId) }),
          );
          return heartbeatSchema.parse(JSON.parse((await Body?.transformToString()) ?? ''));
        } catch {
          return undefined;
        }
      }),
    );
    return records.filter((record) => record !== undefined);
  }
}
