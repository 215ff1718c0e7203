import { GatewayError } from '../errors/gateway-error';

/** A JSON object: not null, not an array. */
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON array or scalar where a request object is expected, said plainly (param null). */
export const notAnObject = (): GatewayError =>
  new GatewayError('invalid_value', 'The request body must be a JSON object.');
