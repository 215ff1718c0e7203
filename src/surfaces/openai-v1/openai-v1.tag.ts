/** The OpenAPI tag of the OpenAI-compatible surface. */
export const OPENAI_V1_TAG = 'openai-compatible';
