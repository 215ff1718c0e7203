import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ERROR_CODES } from '../../common/errors/error-codes';

const CODES = Object.keys(ERROR_CODES);
const TYPES = [...new Set(Object.values(ERROR_CODES).map((c) => c.type))];

/** Documentation only: the body of the error envelope. */
@ApiSchema({ name: 'ErrorBody' })
export class ErrorBodySchema {
  @ApiProperty({
    description: 'For people; never carries upstream bodies, stack traces or keys.',
    example: 'temperature must not be greater than 2',
  })
  message!: string;

  @ApiProperty({ enum: TYPES, example: 'invalid_request_error' }) type!: string;
  @ApiProperty({ enum: CODES, description: 'For programs.', example: 'invalid_value' })
  code!: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'The request field at fault (e.g. `messages[0].role`), or null.',
    example: 'temperature',
  })
  param!: string | null;
}
