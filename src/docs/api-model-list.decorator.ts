import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { ChatSurface } from './api-chat-completion.decorator';
import { ApiGatewayErrors } from './api-gateway-errors.decorator';
import { ModelListSchema } from './schemas/model-list.schema';

const DESCRIPTION = `
What this gateway routes, in OpenAI's list format (\`models.list()\` of the OpenAI clients): the
routing file's groups (including the groups its tiers name), then \`provider/model\` for every
configured deployment, each once. Without a routing file each enabled provider serves any model,
so the list has one entry per provider, named after it (\`openai\`, \`anthropic\`, \`echo\`): address
it as \`<provider>/<model>\` (or a bare model name under \`DEFAULT_PROVIDER\`). Deployment ids, base
URLs and keys are never listed. \`GET /v1/models\` and \`GET /native/v1/models\` answer the same list.
`.trim();

const OPERATION_IDS: Record<ChatSurface, string> = {
  native: 'listNativeModels',
  'openai-v1': 'listModels',
};

const EXAMPLE = {
  object: 'list',
  data: [
    { id: 'fast', object: 'model', created: 1735689600, owned_by: 'sentinel' },
    { id: 'openai/gpt-4o-mini', object: 'model', created: 1735689600, owned_by: 'sentinel' },
  ],
};

/** Everything Swagger shows for `GET /v1/models` or `GET /native/v1/models`. */
export function ApiModelList(surface: ChatSurface): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      operationId: OPERATION_IDS[surface],
      summary: 'List the models (groups and provider/model names) this gateway routes',
      description: DESCRIPTION,
    }),
    ApiOkResponse({
      description: 'The model list.',
      type: ModelListSchema,
      example: EXAMPLE,
    }),
    ApiGatewayErrors('missing_api_key', 'invalid_api_key', 'internal_error'),
  );
}
