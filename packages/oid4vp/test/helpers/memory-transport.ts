import type { MessageTransport } from '../../src/proximity/transport.js';

/** A scripted transport: `inbox` feeds receive(), everything sent is recorded in `sent`. */
export function scriptedTransport(inbox: Uint8Array[]): MessageTransport & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return {
    sent,
    async send(m) {
      sent.push(m);
    },
    async receive() {
      const m = inbox.shift();
      if (!m) throw Object.assign(new Error('no more scripted messages'), { code: 'TRANSPORT_CLOSED' });
      return m;
    },
    async close() {},
  };
}
