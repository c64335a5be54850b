/**
 * Reading a `text/event-stream` (WHATWG HTML §9.2.6 "Interpreting an event stream"): lines end in CR LF,
 * LF or CR; `field: value` with one optional space after the colon; `data` lines joined by LF; `id` sets
 * the last event id (ignored when it contains NULL); a line starting with `:` is a comment; a blank line
 * dispatches the event (an event with no data is not dispatched). Bounded: a line longer than
 * `maxLineChars` ends the stream with WALLET_ISSUER_RESPONSE rather than growing without limit.
 */
import { WalletError } from '../errors.js';

/** One dispatched event. */
export interface ServerSentEvent {
  /** The `event` field, `message` when absent. */
  readonly event: string;
  readonly data: string;
  /** The last event id in force when it was dispatched (empty when none was ever set). */
  readonly lastEventId: string;
}

/** Longest line read (a notice's data is a small JSON object). */
export const MAX_SSE_LINE_CHARS = 64 * 1024;

/** Events of `body`, in order, until it ends, `signal` aborts, or the consumer stops iterating (each cancels the body). */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  options: { readonly maxLineChars?: number; readonly signal?: AbortSignal } = {},
): AsyncGenerator<ServerSentEvent> {
  const maxLine = options.maxLineChars ?? MAX_SSE_LINE_CHARS;
  const reader = body.getReader();
  // Aborting cancels the body: a read that is waiting resolves as done, so the consumer is never stuck on
  // a stream that stays open (an in-process body ignores the request's signal).
  const cancel = () => {
    reader.cancel().catch(() => undefined);
  };
  if (options.signal?.aborted) cancel();
  options.signal?.addEventListener('abort', cancel, { once: true });
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let first = true;
  let event = '';
  let data: string[] = [];
  let lastEventId = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      if (first && buffer.length > 0) {
        // A leading U+FEFF is dropped once (§9.2.6).
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
        first = false;
      }
      let start = 0;
      for (;;) {
        const cr = buffer.indexOf('\r', start);
        const lf = buffer.indexOf('\n', start);
        let end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
        if (end === -1) break;
        // A CR at the very end may be the first half of CR LF: wait for the next chunk unless the stream ended.
        if (end === cr && cr === buffer.length - 1 && !done) break;
        const line = buffer.slice(start, end);
        if (line.length > maxLine)
          throw new WalletError('WALLET_ISSUER_RESPONSE', 'an event-stream line is too long');
        end += end === cr && buffer.charCodeAt(end + 1) === 10 ? 2 : 1;
        start = end;
        if (line === '') {
          if (data.length > 0)
            yield { event: event === '' ? 'message' : event, data: data.join('\n'), lastEventId };
          event = '';
          data = [];
          continue;
        }
        if (line.charCodeAt(0) === 58) continue; // ':' comment (heartbeats)
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let fieldValue = colon === -1 ? '' : line.slice(colon + 1);
        if (fieldValue.charCodeAt(0) === 32) fieldValue = fieldValue.slice(1);
        if (field === 'event') event = fieldValue;
        else if (field === 'data') data.push(fieldValue);
        else if (field === 'id' && !fieldValue.includes('\0')) lastEventId = fieldValue;
        // `retry` and unknown fields are ignored: this reader does not reconnect by itself.
      }
      buffer = buffer.slice(start);
      if (buffer.length > maxLine)
        throw new WalletError('WALLET_ISSUER_RESPONSE', 'an event-stream line is too long');
      if (done) return;
    }
  } finally {
    options.signal?.removeEventListener('abort', cancel);
    await reader.cancel().catch(() => undefined);
  }
}
