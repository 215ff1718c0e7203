import { Injectable, PipeTransform } from '@nestjs/common';
import { CONVERSATION_ID } from './conversation-id';
import { GatewayError } from '../common/errors/gateway-error';

/** Route parameter `:conversation_id`, held to the same rule as the request field. */
@Injectable()
export class ConversationIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!CONVERSATION_ID.test(value)) {
      throw new GatewayError(
        'invalid_value',
        'conversation_id must be 1..256 printable ASCII characters without whitespace',
        { param: 'conversation_id' },
      );
    }
    return value;
  }
}
