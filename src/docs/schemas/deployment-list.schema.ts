import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** Documentation only: one entry of `GET /native/v1/deployments`. */
@ApiSchema({ name: 'DeploymentState' })
export class DeploymentStateSchema {
  @ApiProperty({ example: 'oai-mini-us' }) id!: string;
  @ApiProperty({ example: 'openai' }) provider!: string;
  @ApiProperty({ nullable: true, example: 'gpt-4o-mini', description: 'Null: any model.' })
  model!: string | null;
  @ApiProperty({ nullable: true, example: 'https://api.openai.com' }) origin!: string | null;
  @ApiProperty({ example: 3 }) weight!: number;
  @ApiProperty({ example: 0 }) priority!: number;
  @ApiProperty({ type: [String], example: ['fast'] }) groups!: string[];
  @ApiProperty({ enum: ['closed', 'open', 'half_open'] }) state!: string;
  @ApiPropertyOptional({ nullable: true, example: 8000 }) cooldown_remaining_ms!: number | null;
  @ApiPropertyOptional({ nullable: true, enum: ['rate_limit', 'server', 'timeout', 'terminal'] })
  reason!: string | null;
  @ApiProperty({ example: 0 }) consecutive_failures!: number;
  @ApiProperty({ example: 2 }) in_flight!: number;
  @ApiProperty({ nullable: true, example: 412.5 }) latency_ms!: number | null;
}

@ApiSchema({ name: 'DeploymentList' })
export class DeploymentListSchema {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: () => DeploymentStateSchema, isArray: true })
  data!: DeploymentStateSchema[];
}
