import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsOptional } from 'class-validator';

/**
 * JSON `null` reads as "absent" (`undefined`), as in OpenAI's API. Runs in class-transformer,
 * before validation, so validators and everything downstream never see the null.
 */
export function NullAsAbsent(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (value === null ? undefined : value));
}

/**
 * An optional field: absent, or `null` (which means absent). Use it instead of a bare
 * `@IsOptional()`, which lets `null` through to code that tests `!== undefined`.
 */
export function OptionalField(): PropertyDecorator {
  return applyDecorators(NullAsAbsent(), IsOptional());
}
