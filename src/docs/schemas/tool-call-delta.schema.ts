import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** Documentation only: a fragment of a tool call inside a stream chunk. */
@ApiSchema({ name: 'ToolCallDelta' })
export class ToolCallDeltaSchema {
  @ApiProperty({ type: 'integer', example: 0 }) index!: number;
  @ApiPropertyOptional({ example: 'call_abc123' }) id?: string;
  @ApiPropertyOptional({ enum: ['function'] }) type?: 'function';

  @ApiPropertyOptional({
    type: 'object',
    properties: { name: { type: 'string' }, arguments: { type: 'string' } },
    description: 'Fragments: concatenate `arguments` across chunks.',
    example: { arguments: '{"city":' },
  })
  function?: { name?: string; arguments?: string };
}
