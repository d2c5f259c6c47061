import { describe, expect, it } from "vitest";
import { fromMarkup, toMarkup } from "../src/content/markup";

describe("placeholder markup for format=html", () => {
  it("puts each piece in its own span, escaped", () => {
    expect(toMarkup(["质量 ", "<b>杠杠的</b> & 好"])).toBe(
      "<span>质量 </span><span>&lt;b&gt;杠杠的&lt;/b&gt; &amp; 好</span>",
    );
  });

  it("reads the translated pieces back, unescaped, in order", () => {
    const answer = "<span>Quality </span><span>is &lt;great&gt; &amp; solid &#39;really&#39;</span>";
    expect(fromMarkup(answer, 2)).toEqual(["Quality ", "is <great> & solid 'really'"]);
  });

  it("round-trips pieces the server leaves alone", () => {
    const pieces = ["  spaced  ", "a<script>alert(1)</script>b", "&amp;"];
    expect(fromMarkup(toMarkup(pieces), 3)).toEqual(pieces);
  });

  it("refuses an answer with a different number of spans or stray markup", () => {
    expect(fromMarkup("<span>a</span>", 2)).toBeNull();
    expect(fromMarkup("<span>a</span><img src=x onerror=alert(1)>", 1)).toBeNull();
    expect(fromMarkup("<span>a<b>b</b></span>", 1)).toBeNull();
  });
});
