/**
 * What the user configures on the options page, kept in `storage.local` under one key.
 *
 * Only the background worker reads these (the API key never reaches a content script); the
 * content scripts get the few display settings they need through messages.
 */

export type Mode = "direct" | "cot" | "mcts";
export type Budget = "" | "small" | "medium" | "large";
export type DisplayMode = "bilingual" | "replace";
export type SiteRule = "always" | "never";

export interface Settings {
  /** Base URL of the translator server, e.g. `http://127.0.0.1:8000`. */
  serverUrl: string;
  apiKey: string;
  target: string;
  mode: Mode;
  /** Search budget for `mcts`; empty means the server's default. */
  budget: Budget;
  display: DisplayMode;
  selectionPopup: boolean;
  /** By host name; a rule for `example.com` also covers `www.example.com`. */
  siteRules: Record<string, SiteRule>;
}

export const SETTINGS_KEY = "settings";

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  serverUrl: "http://127.0.0.1:8000",
  apiKey: "",
  target: "en",
  mode: "direct",
  budget: "",
  display: "bilingual",
  selectionPopup: true,
  siteRules: {},
});

const MODES: readonly Mode[] = ["direct", "cot", "mcts"];
const BUDGETS: readonly Budget[] = ["", "small", "medium", "large"];
const DISPLAYS: readonly DisplayMode[] = ["bilingual", "replace"];

function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

function text(value: unknown, fallback: string): string {
  return typeof value === "string" ? value.trim() : fallback;
}

/** Stored settings made whole: unknown or mistyped fields fall back to their defaults. */
export function normalizeSettings(raw: unknown): Settings {
  const stored = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const rules: Record<string, SiteRule> = {};
  if (typeof stored.siteRules === "object" && stored.siteRules !== null) {
    for (const [host, rule] of Object.entries(stored.siteRules)) {
      const name = normalizeHost(host);
      if (name && (rule === "always" || rule === "never")) rules[name] = rule;
    }
  }
  return {
    serverUrl: text(stored.serverUrl, DEFAULT_SETTINGS.serverUrl),
    apiKey: text(stored.apiKey, DEFAULT_SETTINGS.apiKey),
    target: text(stored.target, DEFAULT_SETTINGS.target) || DEFAULT_SETTINGS.target,
    mode: pick(stored.mode, MODES, DEFAULT_SETTINGS.mode),
    budget: pick(stored.budget, BUDGETS, DEFAULT_SETTINGS.budget),
    display: pick(stored.display, DISPLAYS, DEFAULT_SETTINGS.display),
    selectionPopup:
      typeof stored.selectionPopup === "boolean"
        ? stored.selectionPopup
        : DEFAULT_SETTINGS.selectionPopup,
    siteRules: rules,
  };
}

/** A host name as rules store it: lower case, no scheme, port, path or leading dot. */
export function normalizeHost(host: string): string {
  let name = host.trim().toLowerCase();
  const scheme = name.indexOf("://");
  if (scheme >= 0) name = name.slice(scheme + 3);
  name = name.split("/")[0] ?? "";
  name = name.replace(/:\d+$/, "").replace(/^\.+|\.+$/g, "");
  return name;
}

/** The rule for `hostname`: its own, else its nearest parent domain's. */
export function ruleFor(rules: Record<string, SiteRule>, hostname: string): SiteRule | undefined {
  let name = normalizeHost(hostname);
  while (name) {
    const rule = rules[name];
    if (rule) return rule;
    const dot = name.indexOf(".");
    if (dot < 0) return undefined;
    name = name.slice(dot + 1);
  }
  return undefined;
}

/** The server's base URL without a trailing slash, or null unless it is http(s). */
export function serverBase(serverUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.username || url.password || url.search || url.hash) return null;
  return url.origin + url.pathname.replace(/\/+$/, "");
}

/** Site rules from the options page's text: one `host always|never` per line. */
export function parseRules(text: string): { rules: Record<string, SiteRule>; errors: string[] } {
  const rules: Record<string, SiteRule> = {};
  const errors: string[] = [];
  text.split("\n").forEach((line, i) => {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return;
    const host = normalizeHost(words[0] ?? "");
    const rule = words[1];
    if (words.length !== 2 || !host || (rule !== "always" && rule !== "never")) {
      errors.push(`line ${i + 1}: write a host name, then "always" or "never"`);
      return;
    }
    rules[host] = rule;
  });
  return { rules, errors };
}

export function formatRules(rules: Record<string, SiteRule>): string {
  return Object.entries(rules)
    .map(([host, rule]) => `${host} ${rule}`)
    .join("\n");
}

const IP_OR_LOCAL = /^(localhost|\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\])$/;

/** Match patterns for the hosts with an "always" rule (a domain's subdomains included). */
export function alwaysPatterns(rules: Record<string, SiteRule>): string[] {
  return Object.entries(rules)
    .filter(([, rule]) => rule === "always")
    .map(([host]) => (IP_OR_LOCAL.test(host) ? `*://${host}/*` : `*://*.${host}/*`));
}
