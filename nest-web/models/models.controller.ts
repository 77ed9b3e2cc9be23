import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MODELS_PATH, type ModelList } from '#core/contracts/model-listing.js';
import { RequiresApiKey } from '../auth/key-policy.js';
import { Throttled } from '../rate-limits/throttled.decorator.js';
import { ModelListDto } from './dto/model-list.dto.js';
import { ModelCatalogService } from './model-catalog.service.js';

@ApiTags('models')
@RequiresApiKey()
@Throttled()
@Controller(MODELS_PATH)
export class ModelsController {
  constructor(private readonly models: ModelCatalogService) {}

  @Get()
  @ApiOperation({
    summary: 'The served models',
    description:
      'Each model a request may name as `model`: its version, whether it is the default, whether it is available ' +
      '(when not, the reason: the file and the model.json field at fault), its input contract, output, classes, ' +
      'max batch, the sha256 of its ONNX file and its source (built in, or a model folder). Checked once at start.',
  })
  @ApiOkResponse({ type: ModelListDto.Output })
  list(): ModelList {
    return this.models.list();
  }
}
