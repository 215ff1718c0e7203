/** Who is calling, once authenticated. `externalId` scopes sessions and appears in logs. */
export interface Caller {
  externalId: string;
  /** Which AuthStrategy recognised the credential (`api_key`, later e.g. `jwt`). */
  strategy: string;
}
