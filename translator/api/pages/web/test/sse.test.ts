import { describe, expect, it } from "vitest";
import { SseParser } from "../src/sse";

const STREAM =
  'event: progress\r\ndata: {"rollouts":1}\r\n\r\n: keep-alive\r\ndata: \r\n\r\nevent: result\r\ndata: {"a":\r\ndata: 1}\r\n\r\n';

describe("SseParser", () => {
  it("reads events however the stream is cut", () => {
    for (let size = 1; size <= STREAM.length; size++) {
      const parser = new SseParser();
      const events = [];
      for (let start = 0; start < STREAM.length; start += size) events.push(...parser.push(STREAM.slice(start, start + size)));
      expect(events, `chunks of ${size}`).toEqual([
        { event: "progress", data: '{"rollouts":1}' },
        { event: "result", data: '{"a":\n1}' },
      ]);
    }
  });

  it("names unnamed events 'message' and waits for the blank line", () => {
    const parser = new SseParser();
    expect(parser.push("data: x\n")).toEqual([]);
    expect(parser.push("\n")).toEqual([{ event: "message", data: "x" }]);
  });
});
