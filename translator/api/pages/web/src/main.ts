/** The translator page at `/`: tabs, the API key field, the text and catalog forms. */

import { storedKey, storeKey } from "./api";
import { setUpCatalog } from "./catalog";
import { byId, show } from "./dom";
import { setUpTabs } from "./tabs";
import { setUpTranslator } from "./translate";

function setUpKey(): void {
  const field = byId<HTMLInputElement>("api-key");
  field.value = storedKey();
  show(byId("key-section"), document.body.dataset.keysRequired === "true" || field.value !== "");
  field.addEventListener("input", () => {
    field.removeAttribute("aria-invalid");
    storeKey(field.value.trim());
  });
}

setUpKey();
setUpTabs(byId("tabs"));
setUpTranslator();
setUpCatalog();
