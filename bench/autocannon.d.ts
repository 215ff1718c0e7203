/** The slice of autocannon 8's programmatic API the bench uses (the package ships no types). */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }

  interface AutocannonOptions {
    url: string;
    connections?: number;
    duration?: number;
    /** Milliseconds between samples; the run also stops on one of these ticks. */
    sampleInt?: number;
    amount?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    timeout?: number;
    requests?: Array<
      AutocannonRequest & {
        setupRequest?: (request: AutocannonRequest, context: object) => AutocannonRequest;
      }
    >;
  }

  interface AutocannonResult {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    totalCompletedRequests: number;
  }

  interface AutocannonInstance extends EventEmitter, PromiseLike<AutocannonResult> {
    stop(): void;
  }

  function autocannon(options: AutocannonOptions): AutocannonInstance;
  export = autocannon;
}
