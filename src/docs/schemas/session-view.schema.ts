import { ApiProperty, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'Migration', description: 'One move of a conversation to another deployment.' })
export class MigrationSchema {
  @ApiProperty({ type: 'integer', description: 'Unix seconds.', example: 1735689700 }) at!: number;
  @ApiProperty({ example: 'oai-mini-us' }) from!: string;
  @ApiProperty({ example: 'oai-mini-eu' }) to!: string;
  @ApiProperty({
    example: 'cooldown',
    description: '`cooldown`, `deployment_removed`, `tier_upgrade` or `failed:<class>`.',
  })
  reason!: string;
}

/** Documentation only: `GET /native/v1/sessions/:conversation_id` (SessionResponse). */
@ApiSchema({ name: 'Session', description: "A conversation's binding, as its owner sees it." })
export class SessionViewSchema {
  @ApiProperty({ example: 'support-ticket-4711' }) conversation_id!: string;
  @ApiProperty({ example: 'openai' }) provider!: string;
  @ApiProperty({ description: "The provider's model name.", example: 'gpt-4o-mini' })
  model!: string;
  @ApiProperty({ nullable: true, example: 'oai-mini-eu', description: 'The serving deployment.' })
  deployment!: string | null;
  @ApiProperty({ nullable: true, example: 'fast' }) group!: string | null;
  @ApiProperty({ nullable: true, enum: ['simple', 'moderate', 'complex'] }) tier!: string | null;
  @ApiProperty({ nullable: true, example: 'oai-mini-us', description: 'Its first deployment.' })
  home_deployment!: string | null;
  @ApiProperty({ type: 'integer', example: 1 }) migration_count!: number;
  @ApiProperty({ type: () => MigrationSchema, isArray: true, description: 'The last 5.' })
  migrations!: MigrationSchema[];
  @ApiProperty({ type: 'integer', description: 'Unix seconds.', example: 1735689600 })
  created_at!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Seconds until it expires without further requests (each request resets it).',
    example: 86313,
  })
  expires_in!: number;
}
