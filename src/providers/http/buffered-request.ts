import type { IncomingHttpHeaders } from 'node:http';
import { errors, type Dispatcher } from 'undici';

export interface BufferedResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The whole body of a 2xx answer; null for any other status. */
  body: Buffer | null;
  /**
   * The first `keepErrorBytes` of a non-2xx body, when the caller asked for them (to tell a
   * context-length 400 from other 400s); never for a client's eyes or a log.
   */
  errorBody?: Buffer;
}

type Controller = Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestStart']>>[0];

/** As undici's `body.dump()`: a longer error body costs the connection rather than the wait. */
const DISCARD_LIMIT_BYTES = 128 * 1024;

/**
 * One request whose answer is read whole into a Buffer, on undici's dispatch API. It does what
 * `request()` + `body.text()` did for JSON answers without their per-request machinery (an
 * async resource, a Readable body, a TextDecoder): that cost about 40 % of the client-side
 * CPU of a call on the bench machine. A non-2xx answer resolves as soon as its headers arrive;
 * its body is read and dropped in the background (up to DISCARD_LIMIT_BYTES, then the
 * connection is closed) and never reaches the caller. `signal` aborts the request at any stage
 * with its reason; transport failures reject with undici's own errors (codes UND_ERR_*).
 */
export function bufferedRequest(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: AbortSignal,
  keepErrorBytes: (status: number) => number = () => 0,
): Promise<BufferedResponse> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    let controller: Controller | undefined;
    let statusCode = 0;
    let headers: IncomingHttpHeaders = {};
    let keep = false;
    let errorLimit = 0;
    let discarded = 0;
    const chunks: Buffer[] = [];
    const errorChunks: Buffer[] = [];
    const resolveError = (): void => {
      settle();
      resolve({ statusCode, headers, body: null, errorBody: Buffer.concat(errorChunks) });
    };
    const onAbort = (): void => {
      // Before the request reached a socket it is aborted in onRequestStart instead.
      controller?.abort(abortReason(signal));
    };
    const settle = (): void => signal.removeEventListener('abort', onAbort);
    signal.addEventListener('abort', onAbort, { once: true });

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
        if (signal.aborted) started.abort(abortReason(signal));
      },
      onResponseStart(_controller, status, responseHeaders) {
        if (status < 200) return; // 1xx: the final answer follows
        statusCode = status;
        headers = responseHeaders;
        keep = status < 300;
        if (keep) return;
        errorLimit = keepErrorBytes(status);
        if (errorLimit > 0) return;
        settle();
        resolve({ statusCode, headers, body: null });
      },
      onResponseData(current, chunk) {
        if (keep) chunks.push(chunk);
        else if (errorLimit > 0) {
          errorChunks.push(chunk);
          if ((discarded += chunk.length) >= errorLimit) {
            resolveError();
            current.abort(new errors.ResponseExceededMaxSizeError());
          }
        } else if ((discarded += chunk.length) > DISCARD_LIMIT_BYTES) {
          current.abort(new errors.ResponseExceededMaxSizeError());
        }
      },
      onResponseEnd() {
        if (errorLimit > 0) return resolveError();
        settle();
        const body = !keep ? null : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        resolve({ statusCode, headers, body });
      },
      onResponseError(_controller, error) {
        settle();
        reject(error);
      },
    };
    try {
      dispatcher.dispatch(options, handler);
    } catch (error) {
      // Invalid options throw synchronously (undici reports everything else to the handler).
      settle();
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/** As undici's request(): the signal's reason, whatever it is, else a RequestAbortedError. */
function abortReason(signal: AbortSignal): Error {
  return (signal.reason as Error | undefined) ?? new errors.RequestAbortedError();
}
