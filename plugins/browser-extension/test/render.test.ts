import { describe, expect, it } from "vitest";
import { fromMarkup, toMarkup } from "../src/content/markup";
import { isOwnText, restore, showBilingual, showReplaced } from "../src/content/render";
import { findBlocks, hasLetter } from "../src/content/walker";

const PAGE = `<section><p class="r">质量<b>杠杠的</b>，<a href="/more" title="t">回购了</a> <code>SKU</code></p>
<ul><li>踩屎感</li></ul><div>前<div>中</div>后</div></section>`;

describe("bilingual display", () => {
  it("adds the translation under each block and restores the page exactly", () => {
    document.body.innerHTML = PAGE;
    const before = document.body.innerHTML;
    const blocks = findBlocks(document.body);
    blocks.forEach((block, i) => showBilingual(block, `translation ${i}`, "en"));
    const shown = [...document.querySelectorAll("[data-translator-ext=translation]")];
    expect(shown.map((element) => element.textContent)).toEqual(blocks.map((_, i) => `translation ${i}`));
    expect(document.querySelector("li")!.lastElementChild!.textContent).toBe("translation 1");
    blocks.forEach(restore);
    expect(document.body.innerHTML).toBe(before);
  });

  it("inserts text only: markup in a translation never becomes elements", () => {
    document.body.innerHTML = "<p>评论</p>";
    const [block] = findBlocks(document.body);
    showBilingual(block!, '<img src=x onerror="window.hacked=1"><script>window.hacked=2</script>', "en");
    expect(document.querySelectorAll("img, script")).toHaveLength(0);
    expect(document.querySelector("[data-translator-ext]")!.textContent).toContain("<img src=x");
  });
});

describe("replace display", () => {
  it("keeps links and bold, changing only their text, and restores exactly", () => {
    document.body.innerHTML = PAGE;
    const before = document.body.innerHTML;
    const [block] = findBlocks(document.body);
    const nodes = block!.texts.filter((node) => hasLetter(node.data));
    expect(toMarkup(nodes.map((node) => node.data))).toBe(
      "<span>质量</span><span>杠杠的</span><span>回购了</span>", // the comma has no letter: kept as is
    );
    const answer = "<span>Quality </span><span>is solid</span><span>bought again</span>";
    showReplaced(block!, nodes, fromMarkup(answer, nodes.length)!);
    const paragraph = document.querySelector("p.r")!;
    expect(paragraph.querySelector("b")!.textContent).toBe("is solid");
    expect(paragraph.querySelector("a")!.getAttribute("href")).toBe("/more");
    expect(paragraph.querySelector("a")!.textContent).toBe("bought again");
    expect(paragraph.querySelector("code")!.textContent).toBe("SKU");
    expect(isOwnText(block!, nodes[0]!)).toBe(true);
    restore(block!);
    expect(document.body.innerHTML).toBe(before);
  });

  it("leaves text the page changed after the translation alone when restoring", () => {
    document.body.innerHTML = "<p>旧的</p>";
    const [block] = findBlocks(document.body);
    const node = block!.texts[0]!;
    showReplaced(block!, [node], ["old"]);
    node.data = "新的";
    expect(isOwnText(block!, node)).toBe(false);
    restore(block!);
    expect(document.body.innerHTML).toBe("<p>新的</p>");
  });
});
