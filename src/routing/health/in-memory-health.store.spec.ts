import { describeHealthStoreContract } from './health-store.contract';
import { InMemoryHealthStore } from './in-memory-health.store';

/** The store's clock runs an hour ahead of this process's: the store must use its own. */
const SKEW_MS = 3_600_000;

describeHealthStoreContract('InMemoryHealthStore', (random) => {
  let offset = SKEW_MS;
  const now = (): number => Date.now() + offset;
  const hash = new Map<string, string>();
  const store = new InMemoryHealthStore({ now, random, hash });
  return Promise.resolve({
    store,
    writeRaw: (id, value) => {
      hash.set(id, value);
      return Promise.resolve();
    },
    storeNow: () => Promise.resolve(now()),
    advanceTime: (ms) => {
      offset += ms;
      return Promise.resolve();
    },
    cleanup: () => store.shutdown(),
  });
});
