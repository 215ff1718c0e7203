import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ChatCompletionChoiceSchema } from './chat-completion-choice.schema';
import { UsageSchema } from './usage.schema';

/**
 * Documentation only: the non-streaming answer (`ChatCompletionBody`). Provider-specific fields
 * are stripped, so this is the whole object.
 */
@ApiSchema({
  name: 'ChatCompletion',
  description: 'An OpenAI `chat.completion`; `model` is the model that served the request.',
})
export class ChatCompletionSchema {
  @ApiProperty({ example: 'chatcmpl-9x2Lr8Qm' }) id!: string;
  @ApiProperty({ enum: ['chat.completion'] }) object!: 'chat.completion';
  @ApiProperty({ type: 'integer', description: 'Unix seconds.', example: 1735689600 })
  created!: number;
  @ApiProperty({ example: 'gpt-4o-mini' }) model!: string;
  @ApiProperty({ type: () => ChatCompletionChoiceSchema, isArray: true })
  choices!: ChatCompletionChoiceSchema[];
  @ApiProperty({ type: () => UsageSchema }) usage!: UsageSchema;
}
