/**
 * The Manifest V3 for each browser. They differ only where the browsers do: Chrome runs the
 * background as a service worker, Firefox as an event page (`background.scripts`) and wants its
 * add-on id and data-collection declaration under `browser_specific_settings.gecko`.
 */

/** @param {"chrome" | "firefox"} browser @param {string} version */
export function manifest(browser, version) {
  const common = {
    manifest_version: 3,
    name: "Translator: in-page translation",
    short_name: "Translator",
    version,
    description:
      "Translates product pages and reviews in place through your own translator server, slang and idioms explained.",
    permissions: ["storage", "contextMenus", "activeTab", "scripting"],
    action: { default_title: "Translate this page (again: show the original)" },
    commands: {
      _execute_action: {
        suggested_key: { default: "Alt+Shift+T" },
        description: "Translate the page, or show the original",
      },
    },
    options_ui: { page: "options.html", open_in_tab: true },
    // No host access at install: a tab gets the content script when the user asks (activeTab),
    // sites with an "always" rule when the user grants them on the options page.
    optional_host_permissions: ["http://*/*", "https://*/*"],
    content_security_policy: { extension_pages: "script-src 'self'; object-src 'self'" },
  };
  if (browser === "chrome") {
    return { ...common, minimum_chrome_version: "120", background: { service_worker: "background.js" } };
  }
  return {
    ...common,
    background: { scripts: ["background.js"] },
    browser_specific_settings: {
      gecko: {
        id: "translator-extension@translator.local",
        strict_min_version: "142.0",
        data_collection_permissions: { required: ["websiteContent"] },
      },
    },
  };
}
