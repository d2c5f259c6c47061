/** Server-sent events read from a fetch body (EventSource cannot POST or send an API key). */

export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Turns text chunks, split anywhere, into complete events, as EventSource would: comment lines
 * are dropped, and so is an event whose data is empty (Litestar's keep-alive comment comes with
 * an empty `data:` line).
 */
export class SseParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];

  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const events: SseEvent[] = [];
    // A trailing "\r" may be the first half of "\r\n": keep it for the next chunk.
    const end = this.buffer.endsWith("\r") ? this.buffer.length - 1 : this.buffer.length;
    const lines = this.buffer.slice(0, end).split(/\r\n|\r|\n/);
    this.buffer = (lines.pop() ?? "") + this.buffer.slice(end);
    for (const line of lines) {
      if (line === "") {
        const data = this.data.join("\n");
        if (data !== "") events.push({ event: this.event || "message", data });
        this.event = "";
        this.data = [];
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") this.event = value;
      else if (field === "data") this.data.push(value);
    }
    return events;
  }
}
