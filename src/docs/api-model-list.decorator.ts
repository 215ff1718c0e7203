import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { ChatSurface } from './api-chat-completion.decorator';
import { ApiGatewayErrors } from './api-gateway-errors.decorator';
import { ModelListSchema, ModelSchema } from './schemas/model-list.schema';

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

const RETRIEVE_IDS: Record<ChatSurface, string> = {
  native: 'retrieveNativeModel',
  'openai-v1': 'retrieveModel',
};

/** Everything Swagger shows for `GET /v1/models/{model}` or `GET /native/v1/models/{model}`. */
export function ApiModelEntry(surface: ChatSurface): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      operationId: RETRIEVE_IDS[surface],
      summary: 'One model this gateway routes',
      description:
        '`models.retrieve(id)` of the OpenAI clients: a name of the model list, or any other ' +
        'name a request may send as `model` and this gateway routes (such as ' +
        '`openai/gpt-4o` through an implicit deployment). A `/` in the name may be sent as is ' +
        'or as `%2F`.',
    }),
    ApiParam({
      name: 'model',
      schema: { type: 'string' },
      example: 'openai/gpt-4o-mini',
      description: 'A model name as a request sends it.',
    }),
    ApiOkResponse({
      description: 'The model.',
      type: ModelSchema,
      example: EXAMPLE.data[1],
    }),
    ApiGatewayErrors('missing_api_key', 'invalid_api_key', 'not_found', 'internal_error'),
  );
}
