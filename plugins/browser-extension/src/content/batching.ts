/**
 * Groups queued texts into few requests: each batch stays under a count and a character
 * budget, so one request finishes in reasonable time on a CPU model and the first blocks show
 * early. Order is kept: the queue is in the order blocks came near the viewport.
 */

export interface BatchLimits {
  maxItems: number;
  maxChars: number;
}

/** Up to 8 texts: about 15 s of work in `direct` mode on the embedded CPU model. */
export const DEFAULT_LIMITS: BatchLimits = { maxItems: 8, maxChars: 3000 };

/** Splits `items` (in order) into batches; an item larger than `maxChars` gets a batch alone. */
export function makeBatches<T>(items: readonly T[], size: (item: T) => number, limits: BatchLimits): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let chars = 0;
  for (const item of items) {
    const length = size(item);
    if (current.length > 0 && (current.length >= limits.maxItems || chars + length > limits.maxChars)) {
      batches.push(current);
      current = [];
      chars = 0;
    }
    current.push(item);
    chars += length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
