import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { isPlainObject, notAnObject } from './json-object';
import { memoizeValidationMetadata } from './memoize-validation-metadata';
import { toValidationGatewayError } from './validation-error.mapper';

const NOT_DTOS: ReadonlySet<unknown> = new Set([String, Boolean, Number, Array, Object]);

/**
 * A compiled check for one DTO class: true only when the value is certainly valid for that
 * class and its rules would change nothing (no null to drop, no transform), so the value can
 * be used as it is. False sends it through class-transformer and class-validator as usual.
 */
export type AcceptsAsIs = (value: unknown) => boolean;

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Nest's metatype
export type FastPaths = ReadonlyMap<Function, AcceptsAsIs>;

class GatewayValidationPipe extends ValidationPipe {
  constructor(
    options: ConstructorParameters<typeof ValidationPipe>[0],
    private readonly fastPaths: FastPaths,
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    const dto = metatype !== undefined && !NOT_DTOS.has(metatype);
    if (metadata.type === 'body' && dto) {
      if (!isPlainObject(value)) throw notAnObject();
      if (this.fastPaths.get(metatype)?.(value) === true) return value;
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/**
 * The global pipe (APP_PIPE): strict DTOs, no implicit type coercion ("0.5" is not a number),
 * unknown fields rejected, a body that is not a JSON object refused, and errors in the
 * gateway's envelope. `fastPaths` maps a DTO class to a compiled check of its common shape
 * (see AcceptsAsIs); what such a check does not accept is validated in full.
 */
export function createValidationPipe(fastPaths: FastPaths = new Map()): ValidationPipe {
  memoizeValidationMetadata();
  return new GatewayValidationPipe(
    {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: toValidationGatewayError,
    },
    fastPaths,
  );
}
