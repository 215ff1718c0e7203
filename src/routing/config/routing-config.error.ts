/**
 * The routing file cannot be used. `problems` names every mistake with its location
 * (`deployments[2].weight: must be a number ≥ 0`); no message ever quotes a key.
 */
export class RoutingConfigError extends Error {
  constructor(
    readonly path: string,
    readonly problems: readonly string[],
  ) {
    super(`ROUTING_CONFIG_FILE ${path} is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'RoutingConfigError';
  }
}
