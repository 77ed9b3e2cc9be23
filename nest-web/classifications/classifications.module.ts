import { Module, type DynamicModule } from '@nestjs/common';
import { WebConfigModule } from '../config/web-config.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { ModelsModule } from '../models/models.module.js';
import { JobStoreModule } from '../storage/job-store.module.js';
import { UploadsModule } from '../uploads/uploads.module.js';
import { registerOnce, type WebTierParts } from '../web-tier-parts.js';
import { ClassificationsController } from './classifications.controller.js';
import { ClassificationsService } from './classifications.service.js';

/** The REST API: POST /v1/classifications and GET /v1/classifications/:id. */
@Module({ controllers: [ClassificationsController], providers: [ClassificationsService] })
export class ClassificationsModule {
  static register(parts: WebTierParts): DynamicModule {
    return registerOnce(ClassificationsModule, parts, () => ({
      imports: [
        JobsModule.register(parts),
        JobStoreModule.register(parts),
        ModelsModule.register(parts),
        UploadsModule.register(parts),
        WebConfigModule.register(parts),
      ],
    }));
  }
}
