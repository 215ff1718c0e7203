import { GatewayError } from '../../common/errors/gateway-error';
import { AnthropicImageBlock, IMAGE_MEDIA_TYPES, ImageMediaType } from './anthropic-wire';

/** `data:<media type>[;<parameter>]*,<data>`: parameters such as `name=` or `charset=` allowed. */
const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** `image/jpg` is not a registered type, but browsers and SDKs write it for JPEG files. */
const ALIASES: Record<string, ImageMediaType> = { 'image/jpg': 'image/jpeg' };

/**
 * An OpenAI `image_url` as an Anthropic image block: a base64 data URL becomes a base64
 * source with a checked media type, an http(s) URL a url source (Anthropic fetches it).
 * Anything else is refused rather than silently dropped: the model would answer without it.
 */
export function convertImage(url: string, param: string): AnthropicImageBlock {
  if (url.startsWith('data:')) return convertDataUrl(url, param);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
    throw invalid(param, 'An image URL must be an http(s) URL or a base64 data URL.');
  }
  return { type: 'image', source: { type: 'url', url } };
}

function convertDataUrl(url: string, param: string): AnthropicImageBlock {
  const match = DATA_URL.exec(url);
  const parameters = match?.[2].split(';').map((p) => p.trim().toLowerCase()) ?? [];
  if (match === null || !parameters.includes('base64')) {
    throw invalid(param, 'An image data URL must be base64-encoded (data:image/png;base64,...).');
  }
  const declared = match[1].trim().toLowerCase();
  const mediaType = ALIASES[declared] ?? declared;
  if (!isImageMediaType(mediaType)) {
    throw invalid(
      param,
      'This provider accepts only image/jpeg, image/png, image/gif and image/webp images.',
    );
  }
  const data = match[3].replace(/\s+/g, '');
  if (!BASE64.test(data)) throw invalid(param, 'The image data URL holds no valid base64 data.');
  return { type: 'image', source: { type: 'base64', media_type: mediaType, data } };
}

function isImageMediaType(value: string): value is ImageMediaType {
  return (IMAGE_MEDIA_TYPES as readonly string[]).includes(value);
}

function invalid(param: string, message: string): GatewayError {
  return new GatewayError('invalid_value', message, { param });
}
