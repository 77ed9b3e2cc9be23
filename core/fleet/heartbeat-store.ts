import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { HEARTBEAT_PREFIX, heartbeatKeyFor } from '../storage/object-keys.js';
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

  /** Every readable heartbeat, newest state per worker; unreadable records are skipped. */
  async list(): Promise<Heartbeat[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: HEARTBEAT_PREFIX, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((object) => object.Key!).filter(Boolean));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const records = await Promise.all(
      keys.map(async (key) => {
        try {
          const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
          return heartbeatSchema.parse(JSON.parse((await Body?.transformToString()) ?? ''));
        } catch {
          return undefined;
        }
      }),
    );
    return records.filter((record) => record !== undefined);
  }
}
