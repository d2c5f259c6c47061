import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PageSession } from "../src/content/page";
import type { Failure, TextFormat, TextOutcome } from "../src/shared/messages";

/** Stands in for the browser's IntersectionObserver: the test says what is near the viewport. */
class FakeVisibility {
  static all: FakeVisibility[] = [];
  readonly targets = new Set<Element>();
  constructor(private readonly callback: IntersectionObserverCallback) {
    FakeVisibility.all.push(this);
  }
  observe(target: Element): void {
    this.targets.add(target);
  }
  unobserve(target: Element): void {
    this.targets.delete(target);
  }
  disconnect(): void {
    this.targets.clear();
  }
  static show(...elements: Element[]): void {
    for (const observer of FakeVisibility.all) {
      const entries = elements
        .filter((element) => observer.targets.has(element))
        .map((target) => ({ target, isIntersecting: true }) as IntersectionObserverEntry);
      if (entries.length) observer.callback(entries, observer as unknown as IntersectionObserver);
    }
  }
}

function session(display: "bilingual" | "replace", fail?: Failure) {
  const requests: { texts: string[]; format: TextFormat }[] = [];
  const notices: Failure[] = [];
  const request = async (texts: string[], format: TextFormat): Promise<TextOutcome[]> => {
    requests.push({ texts, format });
    if (fail) return texts.map(() => ({ ok: false, failure: fail }));
    return texts.map((text) => ({
      ok: true,
      value: {
        translation: format === "html" ? text.replace(/<span>([^<]*)<\/span>/g, "<span>EN($1)</span>") : `EN(${text})`, confidence: 1, sourceLanguage: "zh", detectionConfidence: 1, terms: [] },
    }));
  };
  const page = new PageSession(document.body, {
    display,
    target: "en",
    request,
    notify: (failure) => notices.push(failure),
    limits: { maxItems: 2, maxChars: 1000 },
  });
  return { page, requests, notices };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 150));

describe("PageSession", () => {
  beforeEach(() => {
    FakeVisibility.all = [];
    vi.stubGlobal("IntersectionObserver", FakeVisibility);
    document.body.innerHTML = '<ul id="list"><li id="a">好评</li><li id="b">太炸了</li><li id="c">踩屎感</li></ul>';
  });
  afterEach(() => vi.unstubAllGlobals());

  it("translates only blocks near the viewport, in batches, and restores the page", async () => {
    const before = document.body.innerHTML;
    const { page, requests } = session("bilingual");
    page.start();
    expect(requests).toHaveLength(0);
    FakeVisibility.show(document.getElementById("a")!, document.getElementById("b")!);
    await settle();
    expect(requests.map((r) => r.texts)).toEqual([["好评", "太炸了"]]);
    expect(document.getElementById("a")!.textContent).toBe("好评EN(好评)");
    FakeVisibility.show(document.getElementById("c")!);
    await settle();
    expect(requests.map((r) => r.texts)).toEqual([["好评", "太炸了"], ["踩屎感"]]);
    page.end();
    expect(document.body.innerHTML).toBe(before);
  });

  it("picks up blocks the page adds later and text the page rewrites", async () => {
    const { page, requests } = session("bilingual");
    page.start();
    const item = document.createElement("li");
    item.id = "d";
    item.textContent = "买它买它";
    document.getElementById("list")!.append(item);
    await settle();
    FakeVisibility.show(item);
    await settle();
    expect(requests.at(-1)!.texts).toEqual(["买它买它"]);
    item.firstChild!.textContent = "绝绝子";
    await settle();
    FakeVisibility.show(item);
    await settle();
    expect(requests.at(-1)!.texts).toEqual(["绝绝子"]);
    expect(item.textContent).toBe("绝绝子EN(绝绝子)");
    page.end();
    expect(item.outerHTML).toBe('<li id="d">绝绝子</li>');
  });

  it("sends markup in replace mode and ignores its own text changes", async () => {
    document.body.innerHTML = '<p id="p">质量<b>杠杠的</b></p>';
    const { page, requests } = session("replace");
    page.start();
    FakeVisibility.show(document.getElementById("p")!);
    await settle();
    expect(requests).toEqual([{ texts: ["<span>质量</span><span>杠杠的</span>"], format: "html" }]);
    expect(document.getElementById("p")!.innerHTML).toBe("EN(质量)<b>EN(杠杠的)</b>");
    await settle(); // its own text changes do not make the blocks new
    expect(requests).toHaveLength(1);
    page.end();
    expect(document.getElementById("p")!.innerHTML).toBe("质量<b>杠杠的</b>");
  });

  it("leaves the page untouched and stops when the server cannot be used", async () => {
    const before = document.body.innerHTML;
    const { page, requests, notices } = session("bilingual", { kind: "auth", message: "unknown API key" });
    page.start();
    FakeVisibility.show(document.getElementById("a")!);
    await settle();
    expect(notices.map((n) => n.kind)).toEqual(["auth"]);
    expect(document.body.innerHTML).toBe(before);
    FakeVisibility.show(document.getElementById("b")!);
    await settle();
    expect(requests).toHaveLength(1);
    page.end();
  });
});
