// Preloaded (node --require) before an uploader's sensitive-check program.
// Node 20's permission model does not cover sockets, so this replaces every network entry
// point with a function that throws. It is defence in depth: where a network namespace is
// available it is the real boundary; where it is not (AWS Lambda) this is best effort.
'use strict';
const denied = (what) => function blocked() {
  const err = new Error(`network access is disabled in the sensitive check (${what})`);
  err.code = 'ERR_ACCESS_DENIED';
  throw err;
};
const stub = (obj, names, label) => {
  for (const name of names) {
    if (obj && typeof obj[name] === 'function') {
      Object.defineProperty(obj, name, { value: denied(`${label}.${name}`), writable: false });
    }
  }
};
const net = require('node:net');
stub(net, ['connect', 'createConnection', 'createServer'], 'net');
stub(net.Socket.prototype, ['connect'], 'net.Socket');
stub(net.Server.prototype, ['listen'], 'net.Server');
for (const mod of ['http', 'https']) {
  stub(require(`node:${mod}`), ['request', 'get', 'createServer'], mod);
}
stub(require('node:http2'), ['connect', 'createServer', 'createSecureServer'], 'http2');
stub(require('node:tls'), ['connect', 'createServer'], 'tls');
const dgram = require('node:dgram');
stub(dgram, ['createSocket'], 'dgram');
stub(dgram.Socket.prototype, ['bind', 'send', 'connect'], 'dgram.Socket');
const dns = require('node:dns');
const dnsNames = Object.keys(dns).filter((k) => /^(lookup|resolve|reverse)/.test(k));
stub(dns, dnsNames, 'dns');
stub(dns.promises, dnsNames, 'dns.promises');
stub(dns.Resolver.prototype, Object.getOwnPropertyNames(dns.Resolver.prototype)
  .filter((k) => /^(resolve|reverse)/.test(k)), 'dns.Resolver');
for (const name of ['fetch', 'WebSocket', 'EventSource']) {
  if (name in globalThis) {
    Object.defineProperty(globalThis, name, { value: denied(name), writable: false });
  }
}
// Signals: a program may end itself, not the process that launched it or its siblings.
const ownKill = process.kill.bind(process);
Object.defineProperty(process, 'kill', {
  value: (pid, signal) => {
    if (Number(pid) !== process.pid) denied('process.kill')();
    return ownKill(pid, signal);
  },
  writable: false,
});
