/** `conversation_id` (body or header): 1..256 printable ASCII characters, no whitespace. */
export const CONVERSATION_ID = /^[\x21-\x7e]{1,256}$/;
