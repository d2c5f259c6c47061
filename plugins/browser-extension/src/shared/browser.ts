/** The extension API object: Firefox's promise-based `browser`, else Chrome's `chrome`. */
export const ext: typeof chrome =
  (globalThis as unknown as { browser?: typeof chrome }).browser ?? globalThis.chrome;

/** Marks every element the extension adds, so the walker and the page observers skip them. */
export const OWN_ATTRIBUTE = "data-translator-ext";
