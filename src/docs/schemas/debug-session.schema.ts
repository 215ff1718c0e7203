import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** Documentation only: `GET /debug/session/:conversation_id` (SessionView, the stored record). */
@ApiSchema({ name: 'DebugSession', description: 'The stored session record and its lifetime.' })
export class DebugSessionSchema {
  @ApiProperty({ description: 'The conversation_id.', example: 'support-ticket-4711' })
  id!: string;
  @ApiProperty({ example: 'openai' }) provider!: string;
  @ApiProperty({ example: 'gpt-4o-mini' }) model!: string;
  @ApiProperty({ description: 'The caller that owns it.', example: 'alice' }) external_id!: string;
  @ApiProperty({ type: 'integer', example: 1735689600 }) created_at!: number;
  @ApiProperty({ type: 'integer', example: 86313 }) expires_in!: number;
}
