/**
 * For the bench's child processes (mock upstream, bare proxy): tell the parent the port over
 * IPC, and exit when the parent goes away so nothing outlives a crashed run.
 */
export function reportListening(port: number): void {
  process.on('disconnect', () => process.exit(0));
  process.send?.({ port });
}
