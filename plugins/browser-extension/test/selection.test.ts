import { describe, expect, it } from "vitest";
import { POPUP, showSelectionPopup } from "../src/content/selection";
import { OWN_ATTRIBUTE } from "../src/shared/browser";
import type { ImproveOutcome, Translation } from "../src/shared/messages";

const TRANSLATION: Translation = {
  translation: "Fits great",
  confidence: 0.8,
  sourceLanguage: "zh",
  detectionConfidence: 1,
  terms: [],
  id: "t-1",
};

function popup(): ShadowRoot {
  const host = document.querySelector(`[${OWN_ATTRIBUTE}="${POPUP}"]`) as HTMLElement;
  return host.shadowRoot!;
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe("the selection popup's improve action", () => {
  it("sends the edited translation and shows it once saved", async () => {
    const sent: [string, Translation, string][] = [];
    const improve = async (text: string, translation: Translation, improved: string): Promise<ImproveOutcome> => {
      sent.push([text, translation, improved]);
      return { ok: true, message: "Saved to your translation memory." };
    };
    await showSelectionPopup(document, "很合身", null, async () => ({ ok: true, value: TRANSLATION }), improve);
    (popup().querySelector("button.improve") as HTMLButtonElement).click();
    const editor = popup().querySelector("textarea.improved") as HTMLTextAreaElement;
    expect(editor.value).toBe("Fits great");
    editor.value = "  Fits perfectly ";
    (popup().querySelector("button.save") as HTMLButtonElement).click();
    await settle();
    expect(sent).toEqual([["很合身", TRANSLATION, "Fits perfectly"]]);
    expect(popup().querySelector(".translation")!.textContent).toBe("Fits perfectly");
    expect(popup().querySelector(".improve-status")!.textContent).toBe("Saved to your translation memory.");
    expect(popup().querySelector("textarea")).toBeNull();
  });

  it("keeps the editor and says why when the server refuses", async () => {
    const improve = async (): Promise<ImproveOutcome> => ({ ok: false, message: "no default memory" });
    await showSelectionPopup(document, "很合身", null, async () => ({ ok: true, value: TRANSLATION }), improve);
    (popup().querySelector("button.improve") as HTMLButtonElement).click();
    (popup().querySelector("button.save") as HTMLButtonElement).click();
    await settle();
    expect(popup().querySelector(".improve-status")!.textContent).toBe("no default memory");
    expect(popup().querySelector(".translation")!.textContent).toBe("Fits great");
    expect(popup().querySelector("textarea")).not.toBeNull();
  });

  it("offers no action without a way to send corrections", async () => {
    await showSelectionPopup(document, "很合身", null, async () => ({ ok: true, value: TRANSLATION }));
    expect(popup().querySelector("button.improve")).toBeNull();
  });
});
