/**
 * The store did not answer (down, hung past the command timeout, or refusing). Callers decide
 * what that means for a request (SPEC §7); the backend only reports it.
 */
export class CacheUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CacheUnavailableError';
  }
}
