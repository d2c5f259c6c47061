import { beforeEach, describe, expect, it } from "vitest";
import { blockText, containerOf, findBlocks, insideFrozen } from "../src/content/walker";

function texts(html: string): string[] {
  document.body.innerHTML = html;
  return findBlocks(document.body).map(blockText);
}

describe("findBlocks", () => {
  beforeEach(() => {
    document.body.innerHTML = "";
  });

  it("makes one block per paragraph and list item, keeping inline markup inside", () => {
    expect(
      texts(`<h1>好评</h1><p>质量<b>杠杠的</b>，<a href="/r">回购了</a></p>
        <ul><li>踩屎感</li><li>太炸了</li></ul>`),
    ).toEqual(["好评", "质量杠杠的，回购了", "踩屎感", "太炸了"]);
  });

  it("splits loose text around nested blocks", () => {
    expect(texts("<div>前面的字<div>里面</div>后面的字</div>")).toEqual(["前面的字", "里面", "后面的字"]);
  });

  it("skips code, scripts, form fields, editable and no-translate content", () => {
    const found = texts(`
      <script>var a = "脚本"</script><style>p{}</style><pre>预格式</pre>
      <textarea>文本框</textarea><input value="输入">
      <div contenteditable="true"><p>可编辑</p></div>
      <div translate="no"><p>不翻译</p></div><p class="notranslate">也不翻译</p>
      <p hidden>隐藏</p><p>保留</p>`);
    expect(found).toEqual(["保留"]);
  });

  it("keeps frozen inline parts out of a block's text and out of its text nodes", () => {
    document.body.innerHTML = "<p>运行 <code>npm ci</code> 就好 <span translate=no>SKU-1</span></p>";
    const [block] = findBlocks(document.body);
    expect(block && blockText(block)).toBe("运行 就好");
    expect(block?.texts.map((node) => node.data)).toEqual(["运行 ", " 就好 "]);
  });

  it("reads line breaks as spaces and ignores blocks without letters", () => {
    expect(texts("<p>第一行<br>第二行</p><p>12.50 ★★★</p><p>   </p>")).toEqual(["第一行 第二行"]);
  });

  it("treats an inline element holding a block as a container", () => {
    expect(texts('<a href="#"><div>卡片标题</div><div>卡片正文</div></a>')).toEqual(["卡片标题", "卡片正文"]);
  });
});

describe("frozen content and containers", () => {
  it("knows when a node sits inside content to leave alone", () => {
    document.body.innerHTML = '<div class="notranslate"><p><b id="x">品牌</b></p></div><p><i id="y">好</i></p>';
    expect(insideFrozen(document.getElementById("x")!)).toBe(true);
    expect(insideFrozen(document.getElementById("y")!)).toBe(false);
  });

  it("climbs from inline content to its block container", () => {
    document.body.innerHTML = '<p id="p">很<b><i id="i">好</i></b></p>';
    expect(containerOf(document.getElementById("i")!.firstChild!)).toBe(document.getElementById("p"));
    expect(containerOf(document.getElementById("p")!)).toBe(document.getElementById("p"));
  });
});
