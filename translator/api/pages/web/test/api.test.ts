import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, attachmentName, call, problemOf, storeKey, storedKey } from "../src/api";

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe("problemOf", () => {
  it("takes the problem's detail and field, and says when to retry", async () => {
    const response = new Response(JSON.stringify({ title: "Too Many Requests", status: 429, detail: "rate limit reached", field: "text" }), {
      status: 429,
      headers: { "Content-Type": "application/problem+json", "Retry-After": "7" },
    });
    const error = await problemOf(response);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.detail).toBe("rate limit reached (try again in 7 s)");
    expect(error.field).toBe("text");
  });

  it("falls back to the status line for a body that is not JSON", async () => {
    const error = await problemOf(new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    expect(error.detail).toBe("502 Bad Gateway");
  });
});

describe("call", () => {
  it("sends the stored key and turns a refused connection into an ApiError", async () => {
    storeKey("tr_secret");
    const seen: Headers[] = [];
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      seen.push(new Headers(init.headers));
      throw new TypeError("Failed to fetch");
    });
    await expect(call("/v1/languages")).rejects.toThrow("could not be reached");
    expect(seen[0]?.get("X-API-Key")).toBe("tr_secret");
  });

  it("forgets an emptied key", () => {
    storeKey("tr_x");
    storeKey("");
    expect(storedKey()).toBe("");
  });
});

describe("attachmentName", () => {
  it("prefers the UTF-8 name over the ASCII fallback", () => {
    expect(attachmentName(`attachment; filename="____.en.csv"; filename*=UTF-8''%E5%95%86%E5%93%81.en.csv`, "x")).toBe("商品.en.csv");
    expect(attachmentName('attachment; filename="shop.en.csv"', "x")).toBe("shop.en.csv");
    expect(attachmentName(null, "fallback.csv")).toBe("fallback.csv");
  });
});
