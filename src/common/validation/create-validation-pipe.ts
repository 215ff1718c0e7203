import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { isPlainObject, notAnObject } from './json-object';
import { memoizeValidationMetadata } from './memoize-validation-metadata';
import { toValidationGatewayError } from './validation-error.mapper';

const NOT_DTOS: ReadonlySet<unknown> = new Set([String, Boolean, Number, Array, Object]);

class GatewayValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.metatype !== undefined && !NOT_DTOS.has(metadata.metatype);
    if (metadata.type === 'body' && dto && !isPlainObject(value)) throw notAnObject();
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/**
 * The global pipe (APP_PIPE): strict DTOs, no implicit type coercion ("0.5" is not a number),
 * unknown fields rejected, a body that is not a JSON object refused, and errors in the
 * gateway's envelope.
 */
export function createValidationPipe(): ValidationPipe {
  memoizeValidationMetadata();
  return new GatewayValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: toValidationGatewayError,
  });
}
