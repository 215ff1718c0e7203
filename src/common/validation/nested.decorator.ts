import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, IsObject, ValidateNested } from 'class-validator';
import { isPlainObject } from './json-object';
import { Satisfies } from './satisfies.decorator';

type Class = new () => object;

/**
 * One nested object validated as `cls`. `@ValidateNested()` alone accepts an array (it
 * validates each element, so `[]` passes); `@IsObject()` refuses arrays and scalars first.
 */
export function NestedObject(cls: () => Class): PropertyDecorator {
  return applyDecorators(IsObject(), ValidateNested(), Type(cls));
}

/** Which element of an array is not an object (`[2] must be an object`), if any. */
function elementProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return null;
  const bad = value.findIndex((element) => !isPlainObject(element));
  return bad === -1 ? null : `[${bad}] must be an object`;
}

/** An array whose every element is an object validated as `cls` (never null or an array). */
export function NestedObjects(cls: () => Class): PropertyDecorator {
  return applyDecorators(
    IsArray(),
    Satisfies('eachIsObject', elementProblem),
    ValidateNested({ each: true }),
    Type(cls),
  );
}
