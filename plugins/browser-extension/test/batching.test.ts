import { describe, expect, it } from "vitest";
import { makeBatches } from "../src/content/batching";

const length = (text: string): number => text.length;

describe("makeBatches", () => {
  it("keeps order and respects the item count", () => {
    const items = ["a", "b", "c", "d", "e"];
    expect(makeBatches(items, length, { maxItems: 2, maxChars: 100 })).toEqual([["a", "b"], ["c", "d"], ["e"]]);
  });

  it("starts a new batch before the character budget is exceeded", () => {
    expect(makeBatches(["aaaa", "bbbb", "cc"], length, { maxItems: 10, maxChars: 9 })).toEqual([
      ["aaaa", "bbbb"],
      ["cc"],
    ]);
  });

  it("sends an oversized item alone rather than dropping it", () => {
    expect(makeBatches(["a", "x".repeat(50), "b"], length, { maxItems: 10, maxChars: 10 })).toEqual([
      ["a"],
      ["x".repeat(50)],
      ["b"],
    ]);
  });

  it("makes no batch from nothing", () => {
    expect(makeBatches([], length, { maxItems: 3, maxChars: 3 })).toEqual([]);
  });
});
