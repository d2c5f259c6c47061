import { describe, expect, it } from "vitest";
import { alwaysPatterns, DEFAULT_SETTINGS, normalizeSettings, parseRules, ruleFor, serverBase } from "../src/shared/settings";

describe("settings", () => {
  it("fills missing and mistyped fields with defaults", () => {
    expect(normalizeSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    const settings = normalizeSettings({ mode: "fast", display: "replace", apiKey: " k ", siteRules: { "X.com": "always", y: "maybe" } });
    expect(settings.mode).toBe("direct");
    expect(settings.display).toBe("replace");
    expect(settings.apiKey).toBe("k");
    expect(settings.siteRules).toEqual({ "x.com": "always" });
  });

  it("applies a domain's rule to its subdomains, the closest rule winning", () => {
    const rules = { "shop.example": "always", "m.shop.example": "never" } as const;
    expect(ruleFor(rules, "www.shop.example")).toBe("always");
    expect(ruleFor(rules, "m.shop.example")).toBe("never");
    expect(ruleFor(rules, "example")).toBeUndefined();
  });

  it("parses rules line by line, naming bad lines", () => {
    expect(parseRules("https://Shop.example:8080/x always\n\nnews.example never")).toEqual({
      rules: { "shop.example": "always", "news.example": "never" },
      errors: [],
    });
    expect(parseRules("a.example sometimes\nb.example").errors).toEqual([
      'line 1: write a host name, then "always" or "never"',
      'line 2: write a host name, then "always" or "never"',
    ]);
  });

  it("asks host access only for the sites that are always translated", () => {
    expect(alwaysPatterns({ "shop.example": "always", "news.example": "never", "127.0.0.1": "always" })).toEqual([
      "*://*.shop.example/*",
      "*://127.0.0.1/*",
    ]);
  });

  it("accepts only plain http(s) server URLs", () => {
    expect(serverBase("http://127.0.0.1:8000/")).toBe("http://127.0.0.1:8000");
    expect(serverBase("https://tr.example/api/")).toBe("https://tr.example/api");
    expect(serverBase("ftp://tr.example")).toBeNull();
    expect(serverBase("javascript:alert(1)")).toBeNull();
    expect(serverBase("http://user:pw@tr.example")).toBeNull();
    expect(serverBase("not a url")).toBeNull();
  });
});
