/**
 * The store did not answer (down, hung past the command timeout, or refusing). Callers decide
 * what that means for a request (README "Store failures"); the backend only reports it.
 */
export class CacheUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CacheUnavailableError';
  }
}
