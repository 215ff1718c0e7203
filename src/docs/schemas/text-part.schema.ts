import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** Documentation only: a text content part (validated by `contentProblem`). */
@ApiSchema({ name: 'TextPart' })
export class TextPartSchema {
  @ApiProperty({ enum: ['text'] }) type!: 'text';
  @ApiProperty({ example: 'What is in this image?' }) text!: string;
}
