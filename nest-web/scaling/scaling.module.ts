import { Module, type DynamicModule } from '@nestjs/common';
import { registerService, type WebTierParts } from '../web-tier-parts.js';
import { ScalerNudgeService } from './scaler-nudge.service.js';

/** The scaler the process named (the Lambda, or the local loop), as {@link ScalerNudgeService}. */
@Module({})
export class ScalingModule {
  static register(parts: WebTierParts): DynamicModule {
    return registerService(ScalingModule, parts, ScalerNudgeService, () => new ScalerNudgeService(parts.nudge));
  }
}
