/**
 * One "translate this page" session: finds the blocks, translates those near the viewport in
 * batches, follows the page as it changes, and restores everything when it ends.
 *
 * Blocks are watched with an IntersectionObserver whose margin reaches past the viewport, so
 * far-off blocks wait until the reader scrolls near them. A MutationObserver picks up blocks
 * added later (review lists that grow, "load more", single-page navigation) and text the page
 * itself rewrites; the extension's own changes are recognised and ignored.
 */

import { OWN_ATTRIBUTE } from "../shared/browser";
import type { Failure, TextFormat, TextOutcome } from "../shared/messages";
import type { DisplayMode } from "../shared/settings";
import { DEFAULT_LIMITS, makeBatches, type BatchLimits } from "./batching";
import { fromMarkup, toMarkup } from "./markup";
import { isOwnText, isShown, restore, showBilingual, showReplaced } from "./render";
import { blockText, containerOf, findBlocks, hasLetter, insideFrozen, type Block } from "./walker";

/** How far (in CSS pixels) outside the viewport a block starts being translated. */
export const NEAR_VIEWPORT_PX = 600;
const MUTATION_SETTLE_MS = 100;

export interface SessionOptions {
  display: DisplayMode;
  target: string;
  request: (texts: string[], format: TextFormat) => Promise<TextOutcome[]>;
  /** A failure the reader should see; `retrying` when the session tries again by itself. */
  notify: (failure: Failure, retrying: boolean) => void;
  limits?: BatchLimits;
}

interface Payload {
  text: string;
  /** Replace mode: the text nodes sent, and what they held when sent. */
  nodes: Text[];
  sent: string[];
}

const FATAL = new Set(["unreachable", "auth", "config", "server"]);

export class PageSession {
  private readonly blocks = new Set<Block>();
  private readonly byText = new Map<Text, Block>();
  private readonly byParent = new Map<Element, Set<Block>>();
  private readonly waiting = new Set<Block>();
  private queue: Block[] = [];
  private pumping = false;
  /** Set for good by `halt`/`end`. */
  private halted = false;
  /** Set while waiting for the server's `Retry-After`. */
  private paused = false;
  private readonly changed = new Set<Element>();
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly visibility: IntersectionObserver;
  private readonly mutations: MutationObserver;
  private readonly format: TextFormat;

  constructor(
    private readonly root: HTMLElement,
    private readonly options: SessionOptions,
  ) {
    this.format = options.display === "replace" ? "html" : "text";
    this.visibility = new IntersectionObserver((entries) => this.onVisibility(entries), {
      rootMargin: `${NEAR_VIEWPORT_PX}px 0px`,
    });
    this.mutations = new MutationObserver((records) => this.onMutations(records));
  }

  start(): void {
    this.scan(this.root);
    this.mutations.observe(this.root, { childList: true, subtree: true, characterData: true });
  }

  /** True once any translation is on the page. */
  get showsTranslations(): boolean {
    for (const block of this.blocks) if (isShown(block)) return true;
    return false;
  }

  /** Stops watching the page but leaves what is translated (after a failure). */
  halt(): void {
    this.halted = true;
    this.queue = [];
    clearTimeout(this.settleTimer);
    this.visibility.disconnect();
    this.mutations.disconnect();
  }

  /** Ends the session: the page is as it was before it started. */
  end(): void {
    this.halt();
    for (const block of this.blocks) restore(block);
    this.blocks.clear();
    this.byText.clear();
    this.byParent.clear();
    this.waiting.clear();
  }

  private scan(container: Element): void {
    if (insideFrozen(container)) return;
    for (const block of findBlocks(container)) {
      const known = block.texts.map((text) => this.byText.get(text));
      const same = known[0] && known.every((other) => other === known[0]);
      if (same && known[0]!.texts.length === block.texts.length) continue;
      for (const other of new Set(known)) if (other) this.forget(other);
      this.track(block);
    }
  }

  private track(block: Block): void {
    this.blocks.add(block);
    this.waiting.add(block);
    for (const text of block.texts) this.byText.set(text, block);
    let siblings = this.byParent.get(block.parent);
    if (!siblings) {
      siblings = new Set();
      this.byParent.set(block.parent, siblings);
      this.visibility.observe(block.parent);
    }
    siblings.add(block);
  }

  private forget(block: Block): void {
    restore(block);
    this.blocks.delete(block);
    this.waiting.delete(block);
    this.queue = this.queue.filter((queued) => queued !== block);
    for (const text of block.texts) if (this.byText.get(text) === block) this.byText.delete(text);
    const siblings = this.byParent.get(block.parent);
    siblings?.delete(block);
    if (siblings && siblings.size === 0) {
      this.byParent.delete(block.parent);
      this.visibility.unobserve(block.parent);
    }
  }

  private onVisibility(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      for (const block of this.byParent.get(entry.target) ?? []) this.enqueue(block);
    }
    void this.pump();
  }

  private enqueue(block: Block): void {
    if (!this.waiting.delete(block)) return;
    this.queue.push(block);
  }

  private onMutations(records: MutationRecord[]): void {
    for (const record of records) {
      if (record.type === "characterData") {
        const node = record.target as Text;
        const block = this.byText.get(node);
        if (block && isOwnText(block, node)) continue;
        if (block) this.forget(block);
        const container = containerOf(node);
        if (container) this.changed.add(container);
        continue;
      }
      for (const node of record.addedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE && (node as Element).hasAttribute(OWN_ATTRIBUTE)) {
          continue;
        }
        const container = containerOf(node);
        if (container) this.changed.add(container);
      }
    }
    if (this.changed.size > 0) {
      clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => this.rescan(), MUTATION_SETTLE_MS);
    }
  }

  private rescan(): void {
    if (this.halted) return;
    for (const block of this.blocks) {
      if (!block.nodes.some((node) => node.isConnected)) this.forget(block);
    }
    const containers = [...this.changed].filter((element) => element.isConnected);
    this.changed.clear();
    for (const container of containers) {
      const nested = containers.some((other) => other !== container && other.contains(container));
      if (!nested) this.scan(container);
    }
  }

  private payload(block: Block): Payload {
    if (this.format === "text") return { text: blockText(block), nodes: [], sent: [] };
    const nodes = block.texts.filter((text) => hasLetter(text.data));
    const sent = nodes.map((node) => node.data);
    return { text: toMarkup(sent), nodes, sent };
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.halted && !this.paused && this.queue.length > 0) {
        const limits = this.options.limits ?? DEFAULT_LIMITS;
        const payloads = new Map(this.queue.map((block) => [block, this.payload(block)]));
        const batch = makeBatches(this.queue, (block) => payloads.get(block)!.text.length, limits)[0]!;
        this.queue = this.queue.slice(batch.length);
        await this.send(batch.map((block) => [block, payloads.get(block)!] as const));
      }
    } finally {
      this.pumping = false;
    }
  }

  private async send(batch: (readonly [Block, Payload])[]): Promise<void> {
    let outcomes: TextOutcome[];
    try {
      outcomes = await this.options.request(batch.map(([, payload]) => payload.text), this.format);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcomes = batch.map(() => ({ ok: false, failure: { kind: "server", message } }));
    }
    let fatal: Failure | undefined;
    let retry: Failure | undefined;
    batch.forEach(([block, payload], i) => {
      const outcome = outcomes[i];
      if (!this.blocks.has(block) || !outcome) return; // the page replaced it meanwhile
      if (outcome.ok) {
        this.show(block, payload, outcome.value.translation);
      } else if (outcome.failure.kind === "rate-limited" || outcome.failure.kind === "unavailable") {
        retry = outcome.failure;
        this.waiting.add(block);
      } else if (FATAL.has(outcome.failure.kind)) {
        fatal ??= outcome.failure;
      }
    });
    if (fatal) {
      this.options.notify(fatal, false);
      this.halt();
    } else if (retry) {
      this.retryLater(retry);
    }
  }

  private show(block: Block, payload: Payload, translation: string): void {
    if (this.format === "text") {
      showBilingual(block, translation, this.options.target);
      return;
    }
    if (payload.nodes.some((node, i) => node.data !== payload.sent[i])) return; // changed meanwhile
    const pieces = fromMarkup(translation, payload.nodes.length);
    if (pieces) showReplaced(block, payload.nodes, pieces);
  }

  /** Waits as long as the server asked, then sends the blocks that are near the viewport again. */
  private retryLater(failure: Failure): void {
    this.options.notify(failure, true);
    const waitMs = Math.min(failure.retryAfterS ?? 5, 60) * 1000;
    this.paused = true;
    setTimeout(() => {
      this.paused = false;
      if (this.halted) return;
      for (const block of this.waiting) {
        if (block.parent.isConnected && nearViewport(block.parent)) this.enqueue(block);
      }
      void this.pump();
    }, waitMs);
  }
}

function nearViewport(element: Element): boolean {
  const rect = element.getBoundingClientRect();
  const height = element.ownerDocument.defaultView?.innerHeight ?? 0;
  return rect.bottom >= -NEAR_VIEWPORT_PX && rect.top <= height + NEAR_VIEWPORT_PX;
}
