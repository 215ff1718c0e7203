import type { ValidationError } from 'class-validator';
import { GatewayError } from '../errors/gateway-error';

const UNKNOWN = 'whitelistValidation';

interface Leaf {
  path: string;
  property: string;
  constraint: string;
  message: string;
}

function join(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent === '' ? property : `${parent}.${property}`;
}

function leaves(errors: ValidationError[], parent = ''): Leaf[] {
  return errors.flatMap((error) => {
    const path = join(parent, error.property);
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      path,
      property: error.property,
      constraint,
      message,
    }));
    return [...own, ...leaves(error.children ?? [], path)];
  });
}

/**
 * Turns class-validator's error tree into one GatewayError naming the field at fault, as
 * `messages[0].role`. Unknown fields are reported first: they usually explain the rest.
 */
export function toValidationGatewayError(errors: ValidationError[]): GatewayError {
  const all = leaves(errors);
  const first = all.find((leaf) => leaf.constraint === UNKNOWN) ?? all[0];
  if (first === undefined) {
    return new GatewayError('invalid_value', 'The request body must be a JSON object.');
  }
  if (first.constraint === UNKNOWN) {
    const field = first.path.split(/[.[]/).pop() ?? first.path;
    return new GatewayError('unknown_field', `Unknown field '${field}'.`, { param: first.path });
  }
  const text = first.message.replace(/^nested property /, '');
  const message = text.startsWith(first.property)
    ? `${first.path}${text.slice(first.property.length)}`
    : text;
  return new GatewayError('invalid_value', message, { param: first.path });
}
