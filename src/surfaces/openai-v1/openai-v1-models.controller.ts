import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../../auth/auth.guard';
import { ApiModelEntry, ApiModelList } from '../../docs/api-model-list.decorator';
import { ModelCatalog } from '../../models/model-catalog.service';
import type { ModelEntry, ModelList } from '../../models/model-list';
import { OPENAI_V1_TAG } from './openai-v1.tag';

/** `GET /v1/models`: what `models.list()` of an OpenAI client reads. */
@ApiTags(OPENAI_V1_TAG)
@ApiBearerAuth('api_key')
@Controller('v1')
@UseGuards(AuthGuard)
export class OpenAiV1ModelsController {
  constructor(private readonly catalog: ModelCatalog) {}

  @Get('models')
  @ApiModelList('openai-v1')
  list(): ModelList {
    return this.catalog.models();
  }

  // `*model`: a name with a slash (`openai/gpt-4o-mini`) arrives as one or two path segments.
  @Get('models/*model')
  @ApiModelEntry('openai-v1')
  retrieve(@Param() params: { model: string[] }): ModelEntry {
    return this.catalog.model(params.model.join('/'));
  }
}
