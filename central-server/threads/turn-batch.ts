/**
 * Messages to another thread collected over one turn of this thread's event loop and posted as
 * one. Every `postMessage` wakes the receiving thread (a write to its event loop's handle) and
 * costs both sides a message's fixed work; in a profile that showed as the largest item outside the
 * cryptography on the verification thread and one of the largest on the main thread
 * (docs/decisions/0055). The items that arrive within one turn — the reports whose bodies were
 * read in one poll of the sockets, the verdicts of one batch — now share one message.
 *
 * The turn ends at `setImmediate`, i.e. after this poll's I/O callbacks and their microtasks, so
 * nothing waits for a later event; the order of the items is the order they were added.
 */
export class TurnBatch<T> {
  private items: T[] = [];
  private transfer: ArrayBuffer[] = [];

  /** `post` sends one turn's items (never none) with every buffer to transfer along. */
  constructor(private readonly post: (items: T[], transfer: ArrayBuffer[]) => void) {}

  /** Queues an item; `transfer` are buffers of its own that move with it (not copied). */
  add(item: T, transfer: readonly ArrayBuffer[] = []): void {
    if (this.items.length === 0) setImmediate(this.flush);
    this.items.push(item);
    for (const buffer of transfer) this.transfer.push(buffer);
  }

  private readonly flush = (): void => {
    const { items, transfer } = this;
    this.items = [];
    this.transfer = [];
    this.post(items, transfer);
  };
}
