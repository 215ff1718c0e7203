/**
 * Thrown at boot when the environment is invalid. Its message is one line naming every bad
 * variable (`Invalid configuration: PORT="eighty" must be an integer; …`), so an operator sees
 * the whole problem in one log line.
 */
export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}
