/** The store key of a conversation's session (README "Conversation stickiness"): `sentinel:session:{conversation_id}`. */
export const sessionKey = (conversationId: string): string => `sentinel:session:${conversationId}`;

/** The record field that names the owner; the store checks it before refreshing or deleting. */
export const OWNER_FIELD = 'external_id';
