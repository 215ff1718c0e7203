import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Storage = ReturnType<typeof getMetadataStorage>;
type Grouped = Record<string, ValidationMetadata[]>;

const MEMOIZED = Symbol('sentinel.memoizedValidationMetadata');

/**
 * class-validator recomputes the rules of a class on every `validate()` of every object, nested
 * ones included: it filters the class's rules, walks every registered class for its parents'
 * rules, removes duplicates and groups the result by property (the largest part of its cost per
 * request). Those rules change only when a decorator registers one, so the answers are kept
 * per class until the next registration. Only the no-groups form is kept (the gateway validates
 * without groups); with groups, class-validator computes as before. Idempotent.
 */
export function memoizeValidationMetadata(storage: Storage = getMetadataStorage()): void {
  const flagged = storage as Storage & { [MEMOIZED]?: true };
  if (flagged[MEMOIZED] === true) return;
  flagged[MEMOIZED] = true;

  // Per class, by `always` and `strictGroups` (truthiness, as class-validator reads them).
  let rules = new Map<unknown, Array<ValidationMetadata[] | undefined>>();
  let kept = new WeakSet<ValidationMetadata[]>();
  let grouped = new WeakMap<ValidationMetadata[], Grouped>();
  const add = storage.addValidationMetadata.bind(storage);
  const compute = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);

  storage.addValidationMetadata = (metadata: ValidationMetadata): void => {
    rules = new Map();
    kept = new WeakSet();
    grouped = new WeakMap();
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (
    target: Parameters<Storage['getTargetValidationMetadatas']>[0],
    schema: string,
    always: boolean,
    strictGroups: boolean,
    groups?: string[],
  ): ValidationMetadata[] => {
    if (schema !== undefined || (groups !== undefined && groups.length > 0))
      return compute(target, schema, always, strictGroups, groups);
    const slot = (always ? 1 : 0) + (strictGroups ? 2 : 0);
    let byOptions = rules.get(target);
    if (byOptions === undefined) rules.set(target, (byOptions = []));
    let found = byOptions[slot];
    if (found === undefined) {
      found = compute(target, schema, always, strictGroups, groups);
      byOptions[slot] = found;
      kept.add(found);
    }
    return found;
  };
  storage.groupByPropertyName = (metadata: ValidationMetadata[]): Grouped => {
    let found = grouped.get(metadata);
    if (found === undefined) {
      found = group(metadata);
      // Only the arrays kept above are stable; any other is grouped afresh every time.
      if (kept.has(metadata)) grouped.set(metadata, found);
    }
    return found;
  };
}
