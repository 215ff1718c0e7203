import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** Documentation only: token counts as the provider reported them. */
@ApiSchema({ name: 'Usage' })
export class UsageSchema {
  @ApiProperty({ type: 'integer', example: 12 }) prompt_tokens!: number;
  @ApiProperty({ type: 'integer', example: 9 }) completion_tokens!: number;
  @ApiProperty({ type: 'integer', example: 21 }) total_tokens!: number;
}
