import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../../auth/auth.guard';
import { ApiModelList } from '../../docs/api-model-list.decorator';
import { ModelCatalog } from '../../models/model-catalog.service';
import type { ModelList } from '../../models/model-list';
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
}
