import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { ApiModelEntry, ApiModelList } from '../docs/api-model-list.decorator';
import { ModelCatalog } from './model-catalog.service';
import type { ModelEntry, ModelList } from './model-list';

/** `GET /native/v1/models`: the same list as the OpenAI-compatible `GET /v1/models`. */
@ApiTags('chat')
@ApiBearerAuth('api_key')
@Controller('native/v1')
@UseGuards(AuthGuard)
export class NativeModelsController {
  constructor(private readonly catalog: ModelCatalog) {}

  @Get('models')
  @ApiModelList('native')
  list(): ModelList {
    return this.catalog.models();
  }

  // `*model`: a name with a slash (`openai/gpt-4o-mini`) arrives as one or two path segments.
  @Get('models/*model')
  @ApiModelEntry('native')
  retrieve(@Param() params: { model: string[] }): ModelEntry {
    return this.catalog.model(params.model.join('/'));
  }
}
