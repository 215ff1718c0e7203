import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RoutingModule } from '../routing/routing.module';
import { ModelCatalog } from './model-catalog.service';
import { NativeModelsController } from './native-models.controller';

/** The names this gateway routes, as OpenAI's model list; every surface answers it. */
@Module({
  imports: [AuthModule, RoutingModule],
  controllers: [NativeModelsController],
  providers: [ModelCatalog],
  exports: [ModelCatalog],
})
export class ModelsModule {}
