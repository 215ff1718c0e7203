/** Whether `promise` fulfils within `ms`; a rejection or a timeout counts as not. */
export async function fulfilsWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const fulfilled = promise.then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([fulfilled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
