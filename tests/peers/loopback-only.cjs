'use strict';
// Preload for test peers: `node --require ./loopback-only.cjs server.js ...`.
//
// The SDK's example servers call `app.listen(port)` with no host, which Node
// binds to every interface (`::`, dual stack). Tests must only ever listen on
// loopback, and the examples have no flag or variable for the host, so every
// TCP listen in the process is rewritten to 127.0.0.1 here. Unix sockets,
// pipes and inherited handles are left alone.
//
// PEER_LISTEN_HOST overrides the address (for example ::1); it must be a
// loopback address or the process refuses to start.

const net = require('node:net');

const host = process.env.PEER_LISTEN_HOST || '127.0.0.1';
if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) && host !== '::1') {
  throw new Error(`loopback-only: PEER_LISTEN_HOST=${host} is not a loopback address`);
}

const isPort = (v) =>
  typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v));

const originalListen = net.Server.prototype.listen;

net.Server.prototype.listen = function listen(...args) {
  const first = args[0];

  // listen(options[, cb]) with a TCP port: force the host.
  if (first !== null && typeof first === 'object' && !('_handle' in first) &&
      !('fd' in first) && first.path === undefined) {
    args[0] = { ...first, host };
    note(args[0].port);
    return originalListen.apply(this, args);
  }

  // listen([port[, host[, backlog]]][, cb]): rebuild as the options form.
  if (first === undefined || isPort(first) || typeof first === 'function') {
    const rest = args.slice(first === undefined || isPort(first) ? 1 : 0);
    const cb = typeof rest[rest.length - 1] === 'function' ? rest.pop() : undefined;
    if (typeof rest[0] === 'string') rest.shift(); // caller's host: replaced
    const backlog = typeof rest[0] === 'number' ? rest[0] : undefined;
    const opts = { port: isPort(first) ? Number(first) : 0, host };
    if (backlog !== undefined) opts.backlog = backlog;
    note(opts.port);
    return cb ? originalListen.call(this, opts, cb) : originalListen.call(this, opts);
  }

  // A pipe path or a handle: not a TCP listener on an interface.
  return originalListen.apply(this, args);
};

function note(port) {
  process.stderr.write(`loopback-only: listen forced to ${host}:${port}\n`);
}
