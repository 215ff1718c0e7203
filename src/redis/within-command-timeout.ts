/** The store did not answer a command within the command timeout. */
export class RedisCommandTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Redis did not answer within ${timeoutMs} ms`);
    this.name = 'RedisCommandTimeoutError';
  }
}

/**
 * Settles like `command`, or rejects with RedisCommandTimeoutError when it is still pending
 * `timeoutMs` after the call AND after pending I/O has had its turn.
 *
 * Why not ioredis's `commandTimeout`: Node runs expired timers before it polls sockets, so
 * when the event loop has been busy for longer than the timeout (a burst of requests on a
 * small machine) the timer fires although Redis's reply is already waiting in the socket.
 * Here the expired timer only schedules a `setImmediate`: the poll phase that runs before it
 * reads whatever replies arrived, and only a command still unanswered after that has timed
 * out. A hung or dead Redis costs the same bound as before (plus one loop turn).
 */
export function withinCommandTimeout<T>(command: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      setImmediate(() => {
        if (settled) return;
        settled = true;
        reject(new RedisCommandTimeoutError(timeoutMs));
      });
    }, timeoutMs);
    command.then(
      (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
