import { describe, expect, it } from "vitest";
import { alternativeItem, factsLine, progressText, termItem, traceHref } from "../src/render";
import type { Translation } from "../src/types";

const HOSTILE = '<img src=x onerror="window.owned=1"><script>window.owned=2</script>';

function translation(overrides: Partial<Translation> = {}): Translation {
  return {
    id: "abc",
    text: "踩屎感",
    translation: "cloud-like comfort",
    source_language: "zh",
    detection_confidence: 0.99,
    target_language: "en",
    mode: "direct",
    confidence: 0.834,
    cached: false,
    alternatives: [],
    terms: [],
    ...overrides,
  };
}

describe("result rendering", () => {
  it("keeps markup in model and glossary text as text", () => {
    const item = termItem({ term: HOSTILE, meaning: HOSTILE, preferred: [], acceptable: [], origin: "builtin", status: "missed", found: HOSTILE });
    const alternative = alternativeItem({ translation: HOSTILE, score: 0.5 });
    for (const node of [item, alternative]) {
      expect(node.querySelector("img, script")).toBeNull();
      expect(node.textContent).toContain(HOSTILE);
    }
  });

  it("says how each term was rendered", () => {
    const found = termItem({ term: "踩屎感", meaning: "very soft", preferred: ["cloud-like"], acceptable: [], origin: "builtin", status: "preferred", found: "cloud-like" });
    expect(found.textContent).toBe("踩屎感 — very softrendered as preferred: “cloud-like”");
    const missed = termItem({ term: "买它", meaning: "buy it", preferred: ["buy it"], acceptable: [], origin: "builtin", status: "missed", found: null });
    expect(missed.className).toBe("term missed");
    expect(missed.querySelector(".term-status")?.textContent).toBe("not rendered (preferred: buy it)");
  });

  it("shows rewards, confidence and where the trace is", () => {
    expect(alternativeItem({ translation: "soft", score: 0.71234 }).textContent).toBe("softreward 0.712");
    expect(factsLine(translation({ cached: true }), (code) => code.toUpperCase())).toBe("confidence 83% · detected ZH · direct · from the cache");
    expect(traceHref(translation())).toBeNull(); // direct without glossary terms keeps no trace
    expect(traceHref(translation({ mode: "mcts", id: "a/b" }))).toBe("/traces/a%2Fb");
  });

  it("counts rollouts, which a round may carry past the cap", () => {
    const progress = { index: 0, max_rollouts: 2, generated_tokens: 294, best: null };
    expect(progressText({ ...progress, rollouts: 1 })).toBe("Search: 1 rollout done of 2 · 294 tokens generated");
    expect(progressText({ ...progress, rollouts: 2 })).toBe("Search: 2 rollouts done · 294 tokens generated");
    expect(progressText({ ...progress, rollouts: 3 })).toBe("Search: 3 rollouts done · 294 tokens generated");
  });
});
