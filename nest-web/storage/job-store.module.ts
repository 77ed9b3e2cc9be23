import { Module, type DynamicModule } from '@nestjs/common';
import { JobStore } from '#core/storage/job-store.js';
import { registerService, type WebTierParts } from '../web-tier-parts.js';
import { JobStoreService } from './job-store.service.js';

/** The input and output buckets, as {@link JobStoreService}. */
@Module({})
export class JobStoreModule {
  static register(parts: WebTierParts): DynamicModule {
    const { inputBucket, outputBucket } = parts.config.names;
    return registerService(
      JobStoreModule,
      parts,
      JobStoreService,
      () => new JobStoreService(new JobStore(parts.clients.s3, { inputBucket, outputBucket })),
    );
  }
}
