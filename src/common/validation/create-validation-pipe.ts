import { ValidationPipe } from '@nestjs/common';
import { toValidationGatewayError } from './validation-error.mapper';

/**
 * The global pipe (APP_PIPE): strict DTOs, no implicit type coercion ("0.5" is not a number),
 * unknown fields rejected, and errors in the gateway's envelope.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: toValidationGatewayError,
  });
}
