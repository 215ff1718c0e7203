import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ERROR_CODES, ErrorCode } from '../common/errors/error-codes';
import { errorExample } from './error-examples';
import { ErrorEnvelopeSchema } from './schemas/error-envelope.schema';

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before retrying, when known.',
    schema: { type: 'integer' },
  },
};

/**
 * Documents the error responses an operation can give: one response per status, the
 * ErrorEnvelope schema, and a named example per code (`errorExample`).
 */
export function ApiGatewayErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const { status } = ERROR_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses = [...byStatus].map(([status, group]) =>
    ApiResponse({
      status,
      description: `Error envelope; \`code\`: ${group.map((c) => `\`${c}\``).join(', ')}.`,
      ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
      content: {
        'application/json': {
          schema: { $ref: getSchemaPath(ErrorEnvelopeSchema) },
          examples: Object.fromEntries(
            group.map((code) => [code, { summary: code, value: errorExample(code) }]),
          ),
        },
      },
    }),
  );
  return applyDecorators(ApiExtraModels(ErrorEnvelopeSchema), ...responses);
}
