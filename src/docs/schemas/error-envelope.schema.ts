import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ErrorBodySchema } from './error-body.schema';

/** Documentation only: the error envelope. */
@ApiSchema({
  name: 'ErrorEnvelope',
  description: 'Every error, on every route, has this shape.',
})
export class ErrorEnvelopeSchema {
  @ApiProperty({ type: () => ErrorBodySchema }) error!: ErrorBodySchema;
}
