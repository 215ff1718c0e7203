import { isPlainObject } from '../../common/validation/json-object';

const TOKEN_ID = /^(0|[1-9]\d{0,9})$/;

/** `logit_bias`: token ids (as JSON object keys) mapped to a bias in -100..100. */
export function logitBiasProblem(bias: unknown): string | null {
  const valid =
    isPlainObject(bias) &&
    Object.entries(bias).every(
      ([token, value]) =>
        TOKEN_ID.test(token) &&
        typeof value === 'number' &&
        Number.isFinite(value) &&
        value >= -100 &&
        value <= 100,
    );
  return valid ? null : 'must map token ids ("50256") to numbers in -100..100';
}

export const METADATA_MAX_PAIRS = 16;
export const METADATA_MAX_KEY = 64;
export const METADATA_MAX_VALUE = 512;

/** `metadata`: at most 16 string pairs, keys up to 64 characters, values up to 512. */
export function metadataProblem(metadata: unknown): string | null {
  const valid =
    isPlainObject(metadata) &&
    Object.keys(metadata).length <= METADATA_MAX_PAIRS &&
    Object.entries(metadata).every(
      ([key, value]) =>
        key.length <= METADATA_MAX_KEY &&
        typeof value === 'string' &&
        value.length <= METADATA_MAX_VALUE,
    );
  return valid
    ? null
    : `must be at most ${METADATA_MAX_PAIRS} string pairs (keys up to ${METADATA_MAX_KEY} ` +
        `characters, values up to ${METADATA_MAX_VALUE})`;
}

/** `prediction.content`: a string or a non-empty array of text parts. */
export function predictionContentProblem(content: unknown): string | null {
  if (typeof content === 'string') return null;
  const valid =
    Array.isArray(content) &&
    content.length > 0 &&
    content.every(
      (part) =>
        isPlainObject(part) &&
        part.type === 'text' &&
        typeof part.text === 'string' &&
        Object.keys(part).every((k) => k === 'type' || k === 'text'),
    );
  return valid ? null : 'must be a string or a non-empty array of {"type":"text","text"} parts';
}

/** `audio.voice`: a voice name, or `{id}` of a custom voice. */
export function voiceProblem(voice: unknown): string | null {
  if (typeof voice === 'string' && voice.length > 0 && voice.length <= 256) return null;
  const custom =
    isPlainObject(voice) &&
    Object.keys(voice).length === 1 &&
    typeof voice.id === 'string' &&
    voice.id.length > 0;
  return custom ? null : 'must be a voice name or {"id"} of a custom voice';
}

/** `top_logprobs` needs `logprobs: true`, as OpenAI requires. */
export function topLogprobsProblem(_: unknown, request: Record<string, unknown>): string | null {
  return request.logprobs === true ? null : 'requires logprobs: true';
}
