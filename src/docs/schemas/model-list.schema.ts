import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** Documentation only: one entry of `GET /v1/models`. */
@ApiSchema({ name: 'Model', description: 'A name this gateway routes, usable as `model`.' })
export class ModelSchema {
  @ApiProperty({ example: 'openai/gpt-4o-mini' }) id!: string;
  @ApiProperty({ enum: ['model'] }) object!: 'model';
  @ApiProperty({
    example: 1735689600,
    description: 'Unix seconds: when this instance loaded its routing configuration.',
  })
  created!: number;
  @ApiProperty({ example: 'sentinel' }) owned_by!: string;
}

@ApiSchema({ name: 'ModelList' })
export class ModelListSchema {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: () => ModelSchema, isArray: true }) data!: ModelSchema[];
}
