import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { BufferedResponse, bufferedRequest } from '../http/buffered-request';

export interface JsonResponse extends BufferedResponse {
  /** The first `limit` bytes of a non-2xx body, to classify it; null for a 2xx. */
  errorBody: Buffer | null;
}

type Handler = Dispatcher.DispatchHandler;

/**
 * bufferedRequest, except that a non-2xx answer is handed on only once the first `limit`
 * bytes of its body were read (or it ended): Anthropic's 400s say in their body whether the
 * prompt was too long or our account is out of credit. What lies beyond `limit` is discarded
 * by bufferedRequest as usual; the bytes kept are for classification and never returned.
 */
export async function requestKeepingErrorBody(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: AbortSignal,
  limit: number,
): Promise<JsonResponse> {
  let errorBody: Buffer | null = null;
  const keeping = dispatcher.compose(
    (dispatch) => (opts, handler) =>
      dispatch(
        opts,
        holdErrorBody(handler, limit, (body) => (errorBody = body)),
      ),
  );
  const response = await bufferedRequest(keeping, options, signal);
  return { ...response, errorBody };
}

function holdErrorBody(inner: Handler, limit: number, keep: (body: Buffer) => void): Handler {
  let held: { status: number; headers: IncomingHttpHeaders; text?: string } | undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  const release: NonNullable<Handler['onResponseEnd']> = (controller) => {
    if (held === undefined) return;
    const { status, headers, text } = held;
    held = undefined;
    keep(Buffer.concat(chunks));
    inner.onResponseStart?.(controller, status, headers, text);
  };
  return {
    onRequestStart: (controller, context) => inner.onRequestStart?.(controller, context),
    onRequestUpgrade: (controller, status, headers, socket) =>
      inner.onRequestUpgrade?.(controller, status, headers, socket),
    onResponseStart(controller, status, headers, text) {
      if (status < 300) return inner.onResponseStart?.(controller, status, headers, text);
      held = { status, headers, text };
    },
    onResponseData(controller, chunk) {
      if (held === undefined) return inner.onResponseData?.(controller, chunk);
      chunks.push(chunk.subarray(0, limit - size));
      size += Math.min(chunk.length, limit - size);
      if (size >= limit) release(controller, {});
    },
    onResponseEnd(controller, trailers) {
      release(controller, trailers);
      inner.onResponseEnd?.(controller, trailers);
    },
    onResponseError(controller, error) {
      // The status is known: a body cut short still classifies by it.
      release(controller, {});
      inner.onResponseError?.(controller, error);
    },
  };
}
