import { FieldCondition } from './cache-backend.interface';

/**
 * Whether `value` is a JSON object whose own `condition.field` is the string `condition.equals`.
 * Mirrors the Redis backend's Lua check (`pcall(cjson.decode)`, `t[field] == equals`): arrays,
 * scalars, non-string fields and malformed JSON never match.
 */
export function fieldConditionHolds(value: string, condition: FieldCondition): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
  return (
    Object.hasOwn(parsed, condition.field) &&
    (parsed as Record<string, unknown>)[condition.field] === condition.equals
  );
}
