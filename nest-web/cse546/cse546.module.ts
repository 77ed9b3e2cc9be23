import { Module, type DynamicModule } from '@nestjs/common';
import { WebConfigModule } from '../config/web-config.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { ModelsModule } from '../models/models.module.js';
import { UploadsModule } from '../uploads/uploads.module.js';
import { registerOnce, type WebTierParts } from '../web-tier-parts.js';
import { Cse546Controller } from './cse546.controller.js';
import { Cse546Service } from './cse546.service.js';

/** POST /: the plain-text contract of the CSE546 course clients. */
@Module({ controllers: [Cse546Controller], providers: [Cse546Service] })
export class Cse546Module {
  static register(parts: WebTierParts): DynamicModule {
    return registerOnce(Cse546Module, parts, () => ({
      imports: [
        JobsModule.register(parts),
        ModelsModule.register(parts),
        UploadsModule.register(parts),
        WebConfigModule.register(parts),
      ],
    }));
  }
}
