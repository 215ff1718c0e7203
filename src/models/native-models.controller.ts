import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { ApiModelList } from '../docs/api-model-list.decorator';
import { ModelCatalog } from './model-catalog.service';
import type { ModelList } from './model-list';

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
}
